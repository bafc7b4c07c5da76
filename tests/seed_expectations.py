"""What the loader and the entity layer must make of the five seeds in corpus/.

Not a test module.  The seeds ship in ``corpus/`` (the sample corpus), so
these expectations can be checked on any clone; ``make eval`` additionally
checks the full gold file beside the project (``bench/eval_seeds.py``).

Per seed (keyed by file name): ``title`` (None: derived from the lead),
``dateline`` (the place or None), ``drop`` (must not be in the body),
``keep`` (must be), ``once`` (exactly once), ``entities`` (groups of forms
that resolve to one entity of the article) and ``junk`` (never an entity).
"""

SEEDS = {
    "000_059658d8d1ad82e8.txt": {
        "title": "Taliban Sheltering Anti-State Militants Under Cover Of Refugees, Says Pakistan",
        "dateline": None,
        "drop": [],
        "once": ["Pakistan\u2019s Ministry of Foreign Affairs said in a detailed statement on Sunday"],
        "keep": ["They include Tehreek-e-Taliban Pakistan (TTP) and Baloch separatists"],
        "entities": [["TTP", "Tehreek-e-Taliban Pakistan"], ["Ministry of Foreign Affairs"],
                     ["Zabihullah Mujahid"], ["Ghazni"], ["Kabul"], ["Pakistan"], ["Taliban"]],
        "junk": ["Sunday", "Says Pakistan", "Anti-State Militants Under Cover Of Refugees"],
    },
    "001_e6784222def0b975.txt": {
        "title": None,
        "dateline": "Islamabad",
        "drop": ["Also see", "ALSO SEE", "@KhawajaMAsif"],
        "once": [],
        "keep": ["Harbouring of TTP Leaders in Afghanistan",
                 "Despite multiple rounds of talks in Doha and Istanbul, no written agreement has been reached."],
        "entities": [["TTP", "Tehreek-e-Taliban Pakistan", "Fitna-al-Khawarij", "FaK"],
                     ["BLA", "Balochistan Liberation Army", "Fitna-al-Hindustan", "FaH"],
                     ["Ministry of Foreign Affairs", "MoFA"], ["Khawaja Muhammad Asif", "Khawaja Asif"],
                     ["Qatar"], ["Doha"], ["Istanbul"], ["Islamabad"]],
        "junk": ["Also", "ALSO SEE", "Scroll to Top", "Defence"],
    },
    "002_87aeffe32afe1305.txt": {
        "title": None,
        "dateline": None,
        "published": None,
        "drop": [],
        "once": [],
        "keep": ["Shah Wali Kot and Shorabak"],
        "entities": [["TTP", "Tehreek-e-Taliban Pakistan"], ["BLA", "Baloch Liberation Army"],
                     ["Shafqat Ali Khan"], ["ISIS-K", "ISIS\u2013Khorasan"], ["al-Qaeda"],
                     ["Kandahar"], ["United Nations", "UN"]],
        "junk": ["While", "Khan emphasized"],
    },
    "003_c6473db4c8a03bd4.txt": {
        "title": None,
        "dateline": "Islamabad",
        "drop": [],
        "once": [],
        "keep": ["a condition Islamabad could not accept."],
        "entities": [["TTP", "Fitna-al-Khawarij"], ["BLA", "Fitna-al-Hindustan"],
                     ["Khawaja Asif", "Khawaja Muhammad Asif"], ["Foreign Office", "FO"],
                     ["Chaman"], ["Spin Boldak"]],
        "junk": ["Anyone", "Despite", "Strikes"],
    },
    "004_efd84228dc31cb02.txt": {
        "title": "Taliban Shows Willingness to Address TTP Concerns, Says Foreign Office",
        "dateline": None,
        "drop": ["Scroll to Top"],
        "once": [],
        "keep": ["Amir Khan Muttaqi is expected to visit Islamabad in the coming weeks"],
        "entities": [["TTP", "Tehreek-e-Taliban Pakistan"], ["Ishaq Dar"], ["Mohsin Naqvi"],
                     ["Siraj-ud-Din Haqqani"], ["Khyber Pakhtunkhwa"], ["Foreign Office"]],
        "junk": ["Scroll", "Top", "Further"],
    },
}
