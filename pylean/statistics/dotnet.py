""".NET number rules Lean's statistics rely on (System.Decimal / System.Double, Common/Extensions.cs SmartRounding)."""
from __future__ import annotations

import math
import struct
from datetime import datetime, timedelta, timezone
from decimal import (
    ROUND_05UP,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
)

# A .NET decimal is a 96-bit integer mantissa with a scale 0..28 (value = mantissa / 10**scale).
_MAX_MANTISSA = (1 << 96) - 1
MAX_MANTISSA = _MAX_MANTISSA  # the largest .NET decimal's units
_MAX_SCALE = 28
# Exact intermediate results: every sum/product of two .NET decimals fits in 60 digits.
_WIDE = Context(prec=80, rounding=ROUND_HALF_EVEN, Emin=-999999, Emax=999999)
_WIDE_AWAY = Context(prec=80, rounding=ROUND_HALF_UP, Emin=-999999, Emax=999999)
# Quotients: ROUND_05UP keeps enough information for one correct re-rounding (no double rounding).
_DIV = Context(prec=90, rounding=ROUND_05UP, Emin=-999999, Emax=999999)
# double literals 1e0..1e80 as .NET's DoublePowers10 table holds them.
_DOUBLE_POW10 = [float(f"1e{i}") for i in range(81)]
_TWO64 = 1.8446744073709552e19
_TEN28 = 10 ** 28
ZERO = Decimal(0)


# ----------------------------------------------------------------------------- decimal arithmetic

def _plain_parts(x: Decimal) -> tuple[int, int, int] | None:
    """(sign, mantissa, scale) read off str(x) when it is written without an exponent (the usual
    case: exponent <= 0, adjusted >= -6), else None. str() is ~6x cheaper than as_tuple()."""
    return _parse_plain(str(x))


def _parse_plain(text: str) -> tuple[int, int, int] | None:
    if "E" in text or not text[-1].isdigit():  # exponent notation, NaN or Infinity
        return None
    whole, _, frac = text.partition(".")
    return (1 if text[0] == "-" else 0), abs(int(whole + frac)), len(frac)


def _parts(x: Decimal) -> tuple[int, int, int]:
    """(sign, mantissa, scale) of a Decimal, exponent folded so that scale >= 0."""
    plain = _plain_parts(x)
    if plain is not None:
        return plain
    sign, _, raw_exp = x.as_tuple()
    exp = int(raw_exp)  # finite values only
    m = int(_WIDE.scaleb(x.copy_abs(), -exp))
    if exp > 0:
        m *= 10 ** exp
        exp = 0
    return sign, m, -exp


def _make(sign: int, m: int, scale: int) -> Decimal:
    return Decimal(f"{'-' if sign and m else ''}{m}e{-scale}")


def to_net(x: Decimal) -> Decimal:
    """Coerce to a value .NET decimal can hold: scale <= 28, mantissa < 2**96, rounded half-even
    (what .NET's ScaleResult does when a product/sum does not fit); a positive exponent becomes scale 0."""
    text = str(x)
    if "E" not in text and text[-1].isdigit():
        # fast path: already a .NET decimal: scale <= 28 and a mantissa below 2**96 (sure with at most 28
        # digits, < 10**28; longer ones, such as the 28-decimal quotients of running means, are checked
        # against the largest value of their scale, a decimal comparison instead of reading the digits)
        if len(text) <= _MAX_SCALE:  # at most 28 characters: at most 28 digits and 27 decimals
            return x
        dot = text.find(".")
        scale = 0 if dot < 0 else len(text) - dot - 1
        digits = len(text) - (text[0] == "-") - (dot >= 0)  # leading zeros of |x| < 1 included: see below
        if scale <= _MAX_SCALE and (digits <= _MAX_SCALE or x.copy_abs() <= _FITS_AT_SCALE[scale]):
            return x
        # |x| < 1 writes scale + 1 digits ("0." and zeros included), so digits - 29 never exceeds scale - 28
        # there: the first scale tried is what the mantissa's own digit count gives
        return _rounded_to_net(x, scale, max(scale - _MAX_SCALE, digits - 29, 0))
    # written with an exponent (or not finite): the digits tell
    t = x.as_tuple()
    if isinstance(t.exponent, int) and -_MAX_SCALE <= t.exponent <= 0 and len(t.digits) <= _MAX_SCALE:
        return x
    if not x.is_finite():
        raise OverflowError(f"{x} is not a finite decimal")
    sign, m, scale = _parts(x)
    if scale > _MAX_SCALE or m > _MAX_MANTISSA:
        # fewer than digits - 29 dropped leaves at least 10**29 > 2**96: start there
        return _rounded_to_net(x, scale, max(scale - _MAX_SCALE, len(str(m)) - 29, 0))
    return _make(sign, m, scale)


def _rounded_to_net(x: Decimal, scale: int, dropped: int) -> Decimal:
    """x (of `scale` decimals) rounded half-even to the largest scale <= scale - dropped whose mantissa fits
    96 bits; zero is never signed."""
    while True:
        kept = scale - dropped
        if kept < 0:
            raise OverflowError("Value was either too large or too small for a Decimal.")
        r = _WIDE.quantize(x, _SCALE_QUANTA[kept])
        if r.copy_abs() <= _FITS_AT_SCALE[kept]:
            return r if r else r.copy_abs()
        dropped += 1


# the largest magnitude of each scale 0..28 whose mantissa fits 96 bits, exactly ((2**96 - 1) / 10**scale)
_FITS_AT_SCALE = [Decimal(_MAX_MANTISSA).scaleb(-scale, context=_WIDE) for scale in range(_MAX_SCALE + 1)]
_SCALE_QUANTA = [Decimal(1).scaleb(-scale, context=_WIDE) for scale in range(_MAX_SCALE + 1)]  # 1E-scale


# (2**96 - 1) / 10**28: the largest magnitude every scale 0..28 holds; an exact sum or difference of two
# .NET decimals has a scale <= 28, so when it is no larger it is a .NET decimal as it is
_HELD_AT_ANY_SCALE = Decimal(_MAX_MANTISSA).scaleb(-_MAX_SCALE)


def net_add_held(a: Decimal, b: Decimal) -> Decimal:
    """net_add for two values already .NET decimals (results of these functions): small sums skip to_net."""
    r = _WIDE.add(a, b)
    return r if -_HELD_AT_ANY_SCALE <= r <= _HELD_AT_ANY_SCALE else to_net(r)


def net_sub_held(a: Decimal, b: Decimal) -> Decimal:
    """net_sub for two values already .NET decimals."""
    r = _WIDE.subtract(a, b)
    return r if -_HELD_AT_ANY_SCALE <= r <= _HELD_AT_ANY_SCALE else to_net(r)


def net_add(a: Decimal, b: Decimal) -> Decimal:
    """.NET decimal a + b (exact when it fits, scale = max of the scales)."""
    return to_net(_WIDE.add(a, b))


def net_sub(a: Decimal, b: Decimal) -> Decimal:
    """.NET decimal a - b."""
    return to_net(_WIDE.subtract(a, b))


def net_mul(a: Decimal, b: Decimal) -> Decimal:
    """.NET decimal a * b (scale = sum of the scales when it fits)."""
    return to_net(_WIDE.multiply(a, b))


def net_sum(total: Decimal, values: list[Decimal]) -> Decimal:
    """total = net_add(total, value) for each value in turn. With no negative one the partial sums grow, in
    digits and scale, towards the exact sum: when that is a .NET decimal as it is, so was each, and no
    net_add rounded (one check instead of one a value)."""
    if values and total >= 0 and min(values) >= 0:
        exact = total
        for value in values:
            exact = _WIDE.add(exact, value)
        _sign, digits, exponent = exact.as_tuple()
        if (isinstance(exponent, int) and -_MAX_SCALE <= exponent <= 0
                and int("".join(map(str, digits))) <= _MAX_MANTISSA):
            return exact
    for value in values:
        total = net_add(total, value)
    return total


def exact_parts(x: Decimal) -> tuple[int, int] | None:
    """(units, exponent) with x == units * 10**exponent, exactly as x is written, for a non-negative finite x
    with exponent <= 0; else None."""
    sign, digits, exponent = x.as_tuple()
    if sign or not isinstance(exponent, int) or exponent > 0:
        return None
    return int("".join(map(str, digits))), exponent


def net_div(a: Decimal, b: Decimal) -> Decimal:
    """.NET decimal a / b (Decimal.DecCalc.VarDecDiv): an exact quotient keeps the natural scale
    (scale(a) - scale(b), at least 0, trailing zeros kept); an inexact one is rounded half-even at the
    largest scale <= 28 whose mantissa fits 96 bits, then its trailing zeros are removed."""
    return net_div_held(to_net(a), to_net(b))


def net_div_held(a: Decimal, b: Decimal) -> Decimal:
    """net_div for two values already .NET decimals."""
    if not b:
        raise ZeroDivisionError("Attempted to divide by zero.")
    _DIV.clear_flags()
    q = _DIV.divide(a, b)
    if not _DIV.flags[Inexact]:
        # exact: Python keeps the ideal exponent exp(a) - exp(b) when it can, like .NET's natural scale
        return to_net(q)
    scale = min(_MAX_SCALE, _MAX_SCALE - q.adjusted())
    while True:
        if scale < 0:
            raise OverflowError("Value was either too large or too small for a Decimal.")
        r = _WIDE.quantize(q, _SCALE_QUANTA[scale])  # _WIDE rounds half-even
        if r.copy_abs() <= _LARGEST_AT_SCALE[scale]:  # its mantissa fits 96 bits
            break
        scale -= 1
    return _normalize_held(r)  # r is a .NET decimal: quantized to scale <= 28, mantissa checked


# the largest magnitude each scale 0..28 holds ((2**96 - 1) / 10**scale, exact)
_LARGEST_AT_SCALE = [Decimal(_MAX_MANTISSA).scaleb(-scale) for scale in range(_MAX_SCALE + 1)]


def normalize(x: Decimal) -> Decimal:
    """Lean Extensions.Normalize (x / 1.0000000000000000000000000000m): trailing zeros removed, scale >= 0."""
    return _normalize_held(to_net(x))


def _normalize_held(x: Decimal) -> Decimal:
    if not x:
        return ZERO
    n = x.normalize(_WIDE)
    if n.adjusted() < 0:  # |n| < 1: a negative exponent
        return n
    # |n| >= 1: str writes an exponent exactly when the normalized exponent is positive (trailing zeros went)
    return n if "E" not in str(n) else n.quantize(Decimal(1), context=_WIDE)


def scale_of(x: Decimal) -> int:
    """The .NET scale (number of digits after the point) of x."""
    text = str(x)
    if "E" not in text and text[-1].isdigit():
        dot = text.find(".")
        return 0 if dot < 0 else len(text) - dot - 1
    return _parts(x)[2]


# ----------------------------------------------------------------------------- rounding

def round_decimal(x: Decimal, d: int = 0, away_from_zero: bool = False) -> Decimal:
    """.NET Math.Round(decimal, d): banker's rounding (or MidpointRounding.AwayFromZero); a value whose
    scale is already <= d is returned unchanged, otherwise the result has exactly d decimals."""
    text = str(x)
    if len(text) <= _MAX_SCALE and "E" not in text and text[-1].isdigit():  # a .NET decimal (see to_net)
        dot = text.find(".")
        scale = 0 if dot < 0 else len(text) - dot - 1
    else:
        x = to_net(x)
        scale = scale_of(x)
    if scale <= d:
        return x
    return (_WIDE_AWAY if away_from_zero else _WIDE).quantize(x, _quantum(d))


_QUANTA: dict[int, Decimal] = {}


def _quantum(decimals: int) -> Decimal:
    """1E-decimals, made once per count (quantize's target exponent)."""
    found = _QUANTA.get(decimals)
    if found is None:
        found = _QUANTA[decimals] = Decimal(1).scaleb(-decimals, context=_WIDE)
    return found


def math_round_double(x: float, d: int = 0) -> float:
    """.NET Core Math.Round(double, d): x * 10^d, round half-to-even to an integer, / 10^d
    (values with |x| >= 1e16 are returned as is). Not Python's exact-decimal round(x, d)."""
    if math.isnan(x) or math.isinf(x) or abs(x) >= 1e16:
        return x
    p = _DOUBLE_POW10[d]
    r = float(round(x * p)) / p
    return math.copysign(r, x) if r == 0 else r  # .NET keeps the sign of a zero result


def decimal_from_double(x: float) -> Decimal:
    """.NET (decimal)double (Decimal.DecCalc.VarDecFromR8 of .NET <= 10): the double is rounded to a
    15-significant-digit integer with a power-of-ten scale, then trailing zeros are removed."""
    if math.isnan(x) or math.isinf(x):
        raise OverflowError("Value was either too large or too small for a Decimal.")
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    exp = ((bits >> 52) & 0x7FF) - 1022
    if exp < -94:
        return ZERO
    if exp > 96:
        raise OverflowError("Value was either too large or too small for a Decimal.")
    sign = 1 if x < 0 else 0
    dbl = abs(x)
    power = 14 - ((exp * 19728) >> 16)
    if power >= 0:
        power = min(power, _MAX_SCALE)
        dbl *= _DOUBLE_POW10[power]
    elif power != -1 or dbl >= 1e15:
        dbl /= _DOUBLE_POW10[-power]
    else:
        power = 0
    if dbl < 1e14 and power < _MAX_SCALE:
        dbl *= 10
        power += 1
    mant = round(dbl)  # Math.Round: half-to-even
    if mant == 0:
        return ZERO
    if power < 0:
        return _make(sign, mant * 10 ** (-power), 0)
    lmax = min(power, 14)
    for step in (8, 4, 2, 1):  # staged trailing-zero removal, as VarDecFromR8 does it
        den = 10 ** step
        if lmax >= step and mant % den == 0:
            mant //= den
            power -= step
            lmax -= step
    return _make(sign, mant, power)


def decimal_to_double(x: Decimal) -> float:
    """.NET (double)decimal (VarR8FromDec of .NET <= 10): (lo64 + hi32 * 2^64) / 10^scale in doubles,
    which is not always correctly rounded (232.43599999999998 reads as 232.436). This is also what
    Python reads of a Lean decimal property (pythonnet calls decimal.ToDouble)."""
    text = str(x)
    if "E" not in text:
        whole, _, frac = text.partition(".")
        # up to 15 digits (leading zeros counted: an over-count only takes the path below) and a scale
        # of at most 22, mantissa and power of ten are exact doubles: the division is float()'s rounding
        if len(frac) <= 22 and len(whole) + len(frac) <= (16 if text[0] == "-" else 15):
            return float(text)
    plain = _parse_plain(text)
    if plain is not None and plain[2] <= _MAX_SCALE and plain[1] < _TEN28:
        sign, m, scale = plain  # x is already a .NET decimal (to_net(x) is x)
    else:
        sign, m, scale = _parts(to_net(x))
    lo, hi = m & ((1 << 64) - 1), m >> 64
    dbl = (float(lo) + float(hi) * _TWO64) / _DOUBLE_POW10[scale]
    return -dbl if sign else dbl


def round_to_significant_digits(x: Decimal, digits: int) -> Decimal:
    """Lean Extensions.RoundToSignificantDigits: scale = (decimal)10^(floor(log10|x|) + 1);
    scale * Math.Round(x / scale, digits) with decimal banker's rounding."""
    if x == 0:
        return ZERO
    magnitude = math.floor(math.log10(decimal_to_double(x.copy_abs()))) + 1
    scale = decimal_from_double(math.pow(10.0, magnitude))
    return net_mul(scale, round_decimal(net_div(x, scale), digits))


def smart_round(x: Decimal) -> Decimal:
    """Lean Extensions.SmartRounding (spec §4.2): normalize; > 1000 -> 4 decimals; else 7 significant digits."""
    x = normalize(x)
    if x > 1000:
        return round_decimal(x, 4)
    if not x:
        return ZERO
    magnitude = math.floor(math.log10(decimal_to_double(x.copy_abs()))) + 1
    if -_MAX_SCALE < magnitude <= 7 and scale_of(x) + max(magnitude, 0) <= _MAX_SCALE:
        # RoundToSignificantDigits' steps are exact here (x / 10**magnitude fits, the product too), so its
        # value is x rounded half-even at 7 - magnitude decimals: one quantize, then normalized
        return _normalize_held(x.quantize(_quantum(7 - magnitude), rounding=ROUND_HALF_EVEN, context=_WIDE))
    return normalize(round_to_significant_digits(x, 7))


def safe_decimal_cast(x: float) -> Decimal:
    """Lean Extensions.SafeDecimalCast: NaN/inf raise, out-of-range saturates, else (decimal)double."""
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"It is not possible to cast a non-finite floating-point value ({x}) as decimal.")
    limit = 7.922816251426434e28  # (double)decimal.MaxValue
    if x <= -limit:
        return Decimal(-_MAX_MANTISSA)
    if x >= limit:
        return Decimal(_MAX_MANTISSA)
    return decimal_from_double(x)


# ----------------------------------------------------------------------------- formatting

def decimal_str(x: Decimal) -> str:
    """.NET decimal.ToString() (invariant): every digit of the scale, no exponent, zero never signed."""
    x = to_net(x)
    if x == 0:
        x = x.copy_abs()
    return format(x, "f")


def _fixed(x: Decimal, decimals: int, grouping: bool) -> str:
    # .NET formats decimals digit-exactly and rounds the digit string half away from zero
    q = to_net(x).quantize(_quantum(decimals), rounding=ROUND_HALF_UP, context=_WIDE)
    if q == 0:
        q = q.copy_abs()  # decimal always formats -0 as 0
    return format(q, ",f" if grouping else "f")


def format_fixed_2_away(x: Decimal) -> str:
    """.NET decimal.ToString("0.00"): two decimals, midpoints rounded away from zero (3.485 -> "3.49")."""
    return _fixed(x, 2, grouping=False)


def format_n2(x: Decimal) -> str:
    """.NET decimal.ToString("N2", invariant): "1,234.57", "-1,234.57"."""
    return _fixed(x, 2, grouping=True)


def format_p(x: Decimal) -> str:
    """.NET decimal.ToString("P", invariant): x * 100 with two decimals then " %" ("1.69 %", "-0.25 %")."""
    return _fixed(net_mul(to_net(x), Decimal(100)), 2, grouping=True) + " %"


def format_double(x: float) -> str:
    """.NET Core double.ToString() (invariant): shortest round-trip digits, no ".0" on integral values,
    scientific "E+XX" only when the exponent >= max(digits, 15) or < -4; "-0" printed as "0"."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign, digits, raw_exp = Decimal(repr(x)).normalize().as_tuple()
    exp = int(raw_exp)
    text = "".join(map(str, digits))
    e = len(text) - 1 + exp  # exponent of the leading digit
    if e >= max(len(text), 15) or e < -4:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        body = f"{mantissa}E{'+' if e >= 0 else '-'}{abs(e):02d}"
    else:
        body = format(Decimal((0, digits, exp)), "f")
    return ("-" if sign else "") + body


def json_round4(x: Decimal | int) -> str:
    """Lean JsonRoundingConverter for decimals/ints: Math.Round(value, 4) written as a JSON string."""
    return decimal_str(round_decimal(Decimal(x), 4))


def newtonsoft_decimal(x: Decimal) -> str:
    """How Newtonsoft.Json writes a decimal number literal: its .NET digits, ".0" added when integral."""
    text = decimal_str(x)
    return text if "." in text else text + ".0"


def format_timespan(ticks: int) -> str:
    """.NET TimeSpan.ToString() constant ("c") format: [-][d.]hh:mm:ss[.fffffff]."""
    sign = "-" if ticks < 0 else ""
    ticks = abs(ticks)
    days, rem = divmod(ticks, 864_000_000_000)
    hours, rem = divmod(rem, 36_000_000_000)
    minutes, rem = divmod(rem, 600_000_000)
    seconds, fraction = divmod(rem, 10_000_000)
    text = f"{sign}{str(days) + '.' if days else ''}{hours:02d}:{minutes:02d}:{seconds:02d}"
    return text + (f".{fraction:07d}" if fraction else "")


def timedelta_ticks(delta: timedelta) -> int:
    """.NET ticks of a Python timedelta."""
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def iso_seconds(dt: datetime) -> str:
    """`dt.strftime("%Y-%m-%dT%H:%M:%S")`, written from the fields (strftime costs several times more);
    years below 1000, which strftime may not pad, are left to strftime."""
    if dt.year < 1000:
        return dt.strftime("%Y-%m-%dT%H:%M:%S")
    return f"{dt.year}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"


def format_iso_utc(dt: datetime) -> str:
    """Newtonsoft ISO date of a UTC DateTime: yyyy-MM-ddTHH:mm:ss[.FFFFFFF]Z."""
    aware = dt.tzinfo is not None
    if aware:
        found = _ISO_UTC_TEXT.get(dt)  # equal instants write the same text
        if found is not None:
            return found
        key = dt
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    text = iso_seconds(dt)
    if dt.microsecond:
        text += "." + f"{dt.microsecond:06d}".rstrip("0")
    text += "Z"
    if aware:
        if len(_ISO_UTC_TEXT) > 100_000:
            _ISO_UTC_TEXT.clear()
        _ISO_UTC_TEXT[key] = text
    return text


_ISO_UTC_TEXT: dict[datetime, str] = {}
