"""The synthetic region: organisations, names and the demo logins. Data, not rules."""

REGION = "Varsinais-Suomi"
DEMO_PASSWORD = "kaveri-demo-2026"

# (authority, name, municipality, is_municipal_trial)
ORGANISATIONS = [
    ("SOC", "Varsinais-Suomen hyvinvointialue, aikuissosiaalityö Turku", "Turku", False),
    ("SOC", "Varsinais-Suomen hyvinvointialue, aikuissosiaalityö Salo", "Salo", False),
    (
        "SOC",
        "Varsinais-Suomen hyvinvointialue, aikuissosiaalityö Vakka-Suomi",
        "Uusikaupunki",
        False,
    ),
    ("DIS", "Varsinais-Suomen hyvinvointialue, vammaispalvelut Turku", "Turku", False),
    ("DIS", "Varsinais-Suomen hyvinvointialue, vammaispalvelut Salo", "Salo", False),
    ("EMP", "Turun seudun työllisyysalue", "Turku", False),
    ("EMP", "Salon seudun työllisyysalue", "Salo", False),
    ("EMP", "Vakka-Suomen työllisyysalue", "Uusikaupunki", False),
    ("EMP", "Loimaan seudun työllisyyskokeilu", "Loimaa", True),
    ("TYP", "TYP Turku", "Turku", False),
    ("TYP", "TYP Salo", "Salo", False),
    ("KELA", "Kela, Turun palvelupiste", "Turku", False),
    ("KELA", "Kela, Salon palvelupiste", "Salo", False),
    ("HEALTH", "Turun terveyskeskus", "Turku", False),
    ("HEALTH", "Salon terveyskeskus", "Salo", False),
    ("HEALTH", "TYKS kuntoutusohjaus", "Turku", False),
    ("PROVIDER", "Turun työpajat", "Turku", False),
    ("PROVIDER", "Salon kuntouttavan työtoiminnan keskus", "Salo", False),
    ("PROVIDER", "Päivätoimintakeskus Aurinko", "Turku", False),
    ("PROVIDER", "Kaarinan työkeskus", "Kaarina", False),
    ("PROVIDER", "Vakka-Suomen työpaja", "Uusikaupunki", False),
]

MUNICIPALITIES = {
    "Turku": ["Turku", "Kaarina", "Raisio", "Naantali", "Lieto"],
    "Salo": ["Salo", "Somero", "Paimio"],
    "Uusikaupunki": ["Uusikaupunki", "Laitila", "Vehmaa"],
    "Loimaa": ["Loimaa", "Oripää"],
    "Kaarina": ["Kaarina"],
}

# What a client may write on the feedback form when a TYP relationship closes.
FEEDBACK = [
    "",
    "Sain apua ja tiesin koko ajan, kuka on työparini.",
    "Hyvä palvelu, mutta odotin Kelan päätöstä pitkään.",
    "Työkokeilu auttoi eteenpäin.",
]

# Staff grows with the region so that caseloads stay near real ones: each organisation has
# at least WORKERS_PER_ORGANISATION, and one worker more for every CLIENTS_PER_WORKER of
# the region's clients that its authority's organisations share.
CLIENTS_PER_WORKER = {
    "SOC": 100,
    "DIS": 300,
    "EMP": 120,
    "TYP": 300,
    "KELA": 400,
    "HEALTH": 1000,
    "PROVIDER": 300,
}

WORKERS_PER_ORGANISATION = {
    "SOC": 8,
    "DIS": 4,
    "EMP": 8,
    "TYP": 6,
    "KELA": 4,
    "HEALTH": 2,
    "PROVIDER": 3,
}

FINNISH_FEMALE = [
    "Aino",
    "Anna",
    "Eeva",
    "Elina",
    "Emilia",
    "Helmi",
    "Iida",
    "Johanna",
    "Kaisa",
    "Laura",
    "Liisa",
    "Maria",
    "Minna",
    "Noora",
    "Paula",
    "Riikka",
    "Sanna",
    "Tiina",
    "Ulla",
    "Veera",
]
FINNISH_MALE = [
    "Antti",
    "Eero",
    "Heikki",
    "Ilkka",
    "Jari",
    "Juha",
    "Jukka",
    "Kalle",
    "Lauri",
    "Markku",
    "Matti",
    "Mikko",
    "Onni",
    "Pekka",
    "Risto",
    "Sami",
    "Teemu",
    "Timo",
    "Ville",
    "Yrjö",
]
FINNISH_LAST = [
    "Aalto",
    "Heikkinen",
    "Hämäläinen",
    "Järvinen",
    "Koivisto",
    "Korhonen",
    "Laine",
    "Lehtonen",
    "Leinonen",
    "Mäkelä",
    "Mäkinen",
    "Nieminen",
    "Niemi",
    "Salminen",
    "Saarinen",
    "Salo",
    "Suominen",
    "Tuominen",
    "Virtanen",
    "Vainio",
]
# Surnames made the Finnish way, a place word and an ending, so that a region of a million
# has about as many people a surname as Finland's most common ones (some 0.4 per cent)
# and a name search finds what it would in a real register.
_BACK_STEMS = [
    "Aho", "Harju", "Honka", "Joki", "Kallio", "Koivu", "Korpi", "Koski", "Kuusi",
    "Lahti", "Laakso", "Lampi", "Paju", "Rauta", "Saari", "Tammi", "Vuori", "Haapa",
    "Halla", "Kangas", "Kataja", "Loukko", "Marja", "Niska", "Oja", "Palo", "Pelto",
    "Ranta", "Suo", "Vaara",
]  # fmt: skip
_BACK_ENDINGS = ["nen", "la", "maa", "vaara", "salo", "niemi"]
_FRONT_STEMS = ["Mäki", "Järvi", "Kivi", "Leppä", "Tähti", "Mänty", "Sievi", "Kyrö"]
_FRONT_ENDINGS = ["nen", "lä", "mäki", "niemi"]
FINNISH_LAST = sorted(
    (
        set(FINNISH_LAST)
        | {stem + ending for stem in _BACK_STEMS for ending in _BACK_ENDINGS}
        | {stem + ending for stem in _FRONT_STEMS for ending in _FRONT_ENDINGS}
    )
    - {"Vaaravaara", "Mäkimäki"}
)
SWEDISH_FEMALE = ["Annika", "Ebba", "Elsa", "Ingrid", "Karin", "Linnea", "Maja", "Sofia"]
SWEDISH_MALE = ["Anders", "Björn", "Erik", "Fredrik", "Gustav", "Henrik", "Johan", "Nils"]
SWEDISH_LAST = [
    "Andersson",
    "Backman",
    "Björkqvist",
    "Forsman",
    "Holmström",
    "Lindqvist",
    "Nyberg",
    "Sjöberg",
    "Strand",
    "Wikström",
]

# One login per role; the worker is placed in the first organisation of its authority.
DEMO_LOGINS = [
    ("sosiaaliohjaaja", "SOCIAL_COUNSELLOR", "SOC", "Sari", "Sosiaaliohjaaja"),
    ("vammaispalvelut", "DISABILITY_WORKER", "DIS", "Vesa", "Vammaistyö"),
    ("tyollisyys", "EMPLOYMENT_OFFICIAL", "EMP", "Tuula", "Työllisyys"),
    ("typ", "TYP_PAIR_MEMBER", "TYP", "Tapio", "Typpinen"),
    ("kela", "KELA_OFFICER", "KELA", "Kerttu", "Kelanen"),
    ("ohjaaja", "ACTIVITY_INSTRUCTOR", "PROVIDER", "Olli", "Ohjaaja"),
    ("koordinaattori", "COORDINATOR", None, "Kaija", "Koordinaattori"),
    ("admin", "ADMINISTRATOR", None, "Aarne", "Ylläpitäjä"),
]
CLIENT_LOGIN = "asiakas"
# The demo logins' e-mail addresses (the digests print on the console in the demo).
DEMO_MAIL_DOMAIN = "kaveri.example"
# Demo logins in these roles also review their organisation's emergency accesses.
SUPERVISOR_ROLES = {"SOCIAL_COUNSELLOR", "EMPLOYMENT_OFFICIAL"}
# Every organisation's first staff member supervises it too; this login also reviews the
# region's emergency accesses where an organisation has no other supervisor.
REGIONAL_REVIEWER = "sosiaaliohjaaja"

# How the synthetic clients spread over the pathways and processes (weights).
SCENARIO_WEIGHTS = {
    "P1": 20,
    "P2": 12,
    "P3": 25,
    "TYP": 15,
    "A3": 15,
    "A4": 5,
    "KELA": 8,
}
