"""What a reply could say about money and where it could send someone, in the forms people and models write.

A red-team pass got "¥1", "CHF 1", "1$ or ₹1", "zero dollars", "half price", "gratis", "90% discount with code
SAVE90", ``![progress [1] chart](//evil.example/p.png)`` and a bare ``evil.example/path`` past patterns that
knew "$", three currency codes and ``[text](url)`` without nesting. The patterns here cover:

* an amount with any currency sign (every Unicode currency symbol) or ISO 4217 code, before or after it;
* an amount spelled out ("zero dollars", "one euro", "a buck");
* relative prices and giveaways ("half price", "free of charge", "gratis") and discounts or promo codes;
* Markdown links and images with brackets nested one level, protocol-relative (``//host``), bare-domain
  (``host.tld/path``) and percent- or entity-encoded addresses.

``price_amounts`` gives each amount with its text (for checking against the amounts in play); the rest are
claims a grounded reply never makes.
"""

from __future__ import annotations

import re
import sys
import unicodedata

_SIGNS = "".join(
    ch for ch in map(chr, range(0x20, min(sys.maxunicode, 0x20CF) + 1)) if unicodedata.category(ch) == "Sc"
)
#: ISO 4217 codes in use (active currencies); "EQF 4" or "ECTS 5" are not prices
ISO_CODES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD
    CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD
    HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR
    PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY
    TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL""".split()  # noqa: SIM905
)
_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)"
_SIGN = rf"(?:R\$|[{re.escape(_SIGNS)}])"
_CODE = "(?:" + "|".join(sorted(ISO_CODES)) + ")"  # upper case only: "5 all", "3 top skills" are not prices
_WORD_CURRENCY = (
    r"(?i:dollars?|euros?|pounds?|bucks?|quid|yen|yuan|rupees?|francs?|pesos?|reais|rubles?|roubles?|lira|cents?|"
    r"pence)"
)
_NOT_PRICE_AFTER = r"(?!\s*(?i:hours?|hrs?|h\b|%|weeks?|credits?|ECTS))"
#: an amount next to a currency sign or code, or followed by a currency word ("195 USD", "1$", "₹1", "CHF 1")
PRICE = re.compile(
    rf"{_SIGN}\s?{_AMOUNT}{_NOT_PRICE_AFTER}"
    rf"|\b{_AMOUNT}\s?(?:{_SIGN}|{_CODE}\b|{_WORD_CURRENCY}\b)"
    rf"|\b{_CODE}\s?{_AMOUNT}\b"
)
_NUMBER_WORDS = (
    "zero|nil|no|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|fifty|"
    "a hundred|one hundred|a thousand|a few|a couple of|half a"
)
#: an amount in words ("zero dollars", "a buck", "one euro")
SPELLED_PRICE = re.compile(rf"(?i:\b(?:{_NUMBER_WORDS})\s+){_WORD_CURRENCY}\b")
#: a price claim without a figure, a giveaway or a discount: a catalog reply never makes one
RELATIVE_PRICE = re.compile(
    r"(?i:\bhalf[- ](?:price|off)\b|\b(?:free of charge|at no (?:cost|charge)|no charge|gratis|gratuit\w*|"
    r"complimentary|costs? nothing|for nothing)\b|\b\d{1,3}\s?%\s?(?:off|discount)\b|"
    r"\b(?:promo(?:tional)?|coupon|voucher|discount)\s+codes?\b|\b(?:with|use|enter|apply)\s+(?:the\s+)?code\s+)"
    r"(?:[A-Z0-9]{4,}\b)?"
)

_NESTED = r"\[(?:[^\[\]\n]|\[[^\[\]\n]*\])*\]"  # link text with one level of brackets inside
#: a Markdown image, inline or by reference, with nested brackets in its text
IMAGE = re.compile(rf"!{_NESTED}\s?\((?:[^()\n]|\([^()\n]*\))*\)|!{_NESTED}\s?\[[^\]\n]*\]")
#: a Markdown link (text, destination); the destination may hold one level of parentheses
LINK = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*<?([^()\s>]+(?:\([^()\s]*\)[^()\s>]*)*)>?[^)\n]*\)")
_TLD = r"[a-z]{2,24}"
#: top-level domains a bare "host.tld/path" is read as a link for ("Node.js/Express" is not one)
_BARE_TLD = (
    r"(?:com|org|net|edu|gov|io|co|uk|us|info|biz|app|dev|ai|xyz|site|online|example|me|tv|ly|gg|ru|cn|de|fr|"
    r"link|click|top)"
)
#: addresses a Markdown renderer or a person follows: scheme, "www.", protocol-relative "//host", a bare
#: "host.tld/path", and encoded forms ("https%3A%2F%2F…", "&#47;&#47;host")
BARE_URL = re.compile(
    rf"\b(?:https?|ftp)://[^\s)>\]]+|\bwww\.[^\s)>\]]+|(?<![:\w/])//[a-z0-9-]+\.[^\s)>\]]*"
    rf"|\b(?:[a-z0-9-]+\.)+{_BARE_TLD}/[^\s)>\]]*|%3A%2F%2F[^\s)>\]]+|(?:&#0*47;|&#x0*2f;){{2}}[^\s)>\]]+",
    re.I,
)


def price_amounts(text: str) -> list[str]:
    """Every amount stated as a price, as written ("1,200", "1"), in order."""
    return [next(group for group in match.groups() if group) for match in PRICE.finditer(text)]


__all__ = ["BARE_URL", "IMAGE", "ISO_CODES", "LINK", "PRICE", "RELATIVE_PRICE", "SPELLED_PRICE", "price_amounts"]
