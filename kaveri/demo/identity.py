"""Deterministic, unique test identity codes (individual number 900-999 only)."""

from datetime import date, timedelta

CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
BIRTH_FIRST = date(1961, 1, 1)
BIRTH_LAST = date(2007, 12, 31)
BIRTH_DAYS = (BIRTH_LAST - BIRTH_FIRST).days + 1
TEST_NUMBERS = 100  # 900..999
CAPACITY = BIRTH_DAYS * TEST_NUMBERS
MULTIPLIER = 7919  # a prime that does not divide CAPACITY, so index -> code is one-to-one
SIGNS_1900 = "-YXWVU"
SIGNS_2000 = "AB"


def check_character(birth: date, individual: int) -> str:
    digits = f"{birth:%d%m}{birth.year % 100:02d}{individual:03d}"
    return CHECK_CHARACTERS[int(digits) % 31]


def synthetic_hetu(index: int) -> str:
    """The index-th synthetic identity code; distinct for every index below CAPACITY."""
    if not 0 <= index < CAPACITY:
        raise ValueError(f"The demo can make at most {CAPACITY:,} distinct test identity codes.")
    slot = (index * MULTIPLIER) % CAPACITY
    birth = BIRTH_FIRST + timedelta(days=slot // TEST_NUMBERS)
    individual = 900 + slot % TEST_NUMBERS
    signs = SIGNS_1900 if birth.year < 2000 else SIGNS_2000
    sign = signs[slot % len(signs)]
    check = check_character(birth, individual)
    return f"{birth:%d%m}{birth.year % 100:02d}{sign}{individual:03d}{check}"
