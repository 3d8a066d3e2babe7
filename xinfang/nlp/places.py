"""Where a petition is about. The deployment's own units and user dictionary come first:
the unit of the place (属地) is the most specific unit whose name the text mentions, and
its ancestors in the unit tree give the city and the county. cpca, which ships China's
administrative divisions inside the package, adds a province, city or district only
when the text names the province or city itself, or when its answer lies within the
deployment's own region (the numeric division codes of its units); a district it names
only counts when the text names it too, and a bare 县, 区 or 镇 is never a place. The
finer part (a township, a village, a residential compound, a road) also comes from
words that end like place names."""

import re
import threading
from functools import lru_cache
from dataclasses import dataclass, field

from .text import SEGMENTER, STOPWORDS, UNREAD, dictionary_version, prepare, tokens, unit_aliases

PLACE_SUFFIXES = (
    "小区", "社区", "村委会", "村", "组", "街道", "大道", "路", "街", "巷", "镇", "乡", "花园", "苑", "广场", "大厦", "公寓",
    "家园", "新村", "新城", "园区", "开发区", "市场", "公园", "景区", "学校", "小学", "中学", "大学", "医院", "车站", "片区",
)
SUFFIX_ONLY = set(PLACE_SUFFIXES)
NOT_PLACES = {"道路", "马路", "公路", "出路", "思路", "线路", "网路", "电路", "农村", "乡村", "城乡", "乡镇", "街道", "小区", "社区", "学校",
              "医院", "市场", "公园", "广场", "村组", "一路", "沿路", "走路", "上路", "进村", "全村", "本村", "该村", "本组",
              "该小区", "本小区", "我们小区", "全镇", "本镇", "我村", "我组", "我镇", "我乡", "各村", "各组", "公共花园", "中小学",
              "大中小学", "门路", "马路边", "小学", "中学", "大学"}
# Words that introduce a place but are not part of its name.
NOT_JOINED = {"位于", "地处", "坐落", "座落", "靠近", "紧邻", "附近", "旁边", "对面", "门口", "居住", "住在", "来到", "前往", "就在"}
PLACE_WORD = re.compile(r"^[\u4e00-\u9fffa-z0-9]{2,20}$")


PLACE_CHARS = 5000


@dataclass
class PlaceResult:
    province: str = ""
    city: str = ""
    district: str = ""
    adcode: str = ""
    local: list = field(default_factory=list)  # finer place names, most specific last
    units: list = field(default_factory=list)  # Unit objects mentioned, most specific first

    @property
    def key(self):
        """One place name to group petitions by: the most specific unit named, else the
        last finer place name found."""
        if self.units:
            return self.units[0].name[:60]
        if self.local:
            return self.local[-1][:60]
        return (self.district or self.city or self.province)[:60]

    def as_dict(self):
        return {"province": self.province, "city": self.city, "district": self.district, "adcode": self.adcode,
                "local": self.local, "units": [{"code": u.code, "name": u.name} for u in self.units]}


# Suffixes of division names, longest first: 重庆市 is named by 重庆, 岳麓区 by 岳麓.
DIVISION_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "地区", "新区",
                     "省", "市", "区", "县", "州", "盟", "旗")
# District names that are ordinary words of a letter, never by themselves a place.
GENERIC_DIVISIONS = {"城区", "郊区", "矿区", "新区", "市辖区", "县", "区", "市", "镇", "乡", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _short(name):
    for suffix in DIVISION_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def named_in(name, text):
    """Whether `text` names the division `name` itself (岳麓区 or 岳麓; never a bare 县)."""
    if not name or name in GENERIC_DIVISIONS:
        return False
    short = _short(name)
    return (len(name) >= 2 and name in text) or (len(short) >= 2 and short in text)


def administrative_part(text, regions=()):
    """cpca's province, city, district and code for `text`, kept only where the text
    names the province or city, or where the code lies within `regions` (the
    deployment's division codes); a district only when the text names it."""
    province, city, district, adcode = administrative(text)
    explicit = named_in(province, text) or named_in(city, text)
    agrees = bool(adcode) and any(adcode.startswith(r) or r.startswith(adcode) for r in regions)
    if not (explicit or agrees):
        return "", "", "", ""
    if city in GENERIC_DIVISIONS:
        city = ""
    if not named_in(district, text):
        district = ""
        adcode = adcode[:4] + "00" if city and adcode else (adcode[:2] + "0000" if adcode else "")
    return province, city, district, adcode


def administrative(text):
    """Province, city, district and the division code, by cpca alone ("" when none)."""
    if not re.search(r"[省市区县州旗盟]", text):
        return "", "", "", ""
    return _administrative(text[:2000])


@lru_cache(maxsize=256)
def _administrative(text):
    # cpca.transform wraps its matcher's answer in a pandas frame, which costs ten times
    # the matching (1.8 ms against 0.16 ms a letter); its one-address function gives the
    # same answer as a dict (checked equal on 600 real messages; cpca is pinned in
    # requirements.lock). A release without it falls back to transform.
    import cpca

    one = getattr(cpca, "_get_one_addr", None)
    row = one(text, False, {}) if one is not None else cpca.transform([text]).iloc[0]

    def cell(name):
        value = row.get(name)
        return value if isinstance(value, str) else ""

    return cell("省"), cell("市"), cell("区"), cell("adcode")


def local_places(text, *, prepared=False):
    """Finer place names: words that end like a place (…小区, …村, …路), joined with the
    word before when the suffix stands alone (米兰春天 + 小区)."""
    words = tokens(text, prepared=prepared)
    found = []
    for i, word in enumerate(words):
        name = None
        before = words[i - 1] if i > 0 else ""
        joinable = (len(before) >= 2 and before not in STOPWORDS and before not in NOT_JOINED and not before.endswith(PLACE_SUFFIXES)
                    and not before.isascii())
        if word in SUFFIX_ONLY and joinable:
            name = before + word
            earlier = words[i - 2] if i > 1 else ""
            if len(before) <= 2 and len(earlier) >= 2 and earlier not in STOPWORDS | NOT_JOINED and not earlier.isascii() \
                    and not earlier.endswith(PLACE_SUFFIXES):
                name = earlier + name  # 米兰 + 春天 + 小区
        elif word.endswith(PLACE_SUFFIXES) and len(word) >= 3:
            stem = next(len(word) - len(s) for s in PLACE_SUFFIXES if word.endswith(s))
            # 米兰 + 春天小区: a short name before the suffix is often the end of a longer
            # one — unless the dictionary knows the word whole (城关镇, a unit's name).
            name = before + word if joinable and stem <= 2 and not known_word(word) else word
        if name and name not in NOT_PLACES and PLACE_WORD.match(name) and name not in found:
            found.append(name)
    return found[:10]


def known_word(word):
    tokenizer = SEGMENTER.tokenizer(refresh=False)
    return bool(tokenizer.FREQ.get(word))


class Gazetteer:
    """The deployment's own place names → units: every unit's names, and the user
    dictionary's places that name their unit. Matched with one Aho-Corasick automaton,
    rebuilt when the user dictionary's version in the database changes (the names of
    units and terms are part of it: text.dictionary_version)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._automaton = None
        self._names = None
        self._units = {}
        self.regions = ()
        self._loaded = UNREAD
        self.version = 0

    def stale(self):
        self._loaded = UNREAD

    def _load(self):
        from xinfang.org.models import Unit

        from .models import Term, TermKind

        names, units = {}, {}
        for unit in Unit.objects.filter(is_active=True).only("pk", "name", "short_name", "path", "code", "level", "kind", "parent_id",
                                                             "region_code"):
            units[unit.pk] = unit
            for alias in unit_aliases(unit.name, unit.short_name):
                if len(alias) >= 2:
                    current = names.get(alias)
                    if current is None or len(unit.path) > len(current.path):
                        names[alias] = unit
        for term in Term.objects.filter(is_active=True, kind=TermKind.PLACE, unit__isnull=False).select_related("unit"):
            names[term.word] = term.unit
        return names, units

    def automaton(self):
        wanted = dictionary_version()
        with self._lock:
            if self._automaton is None or wanted != self._loaded or wanted is None:
                self._loaded = wanted
                try:
                    names, units = self._load()
                except Exception:
                    names, units = self._names or {}, self._units
                self._units = units
                self.regions = division_codes(units.values())
                key = {n: u.pk for n, u in names.items()}
                if self._automaton is None or key != {n: u.pk for n, u in (self._names or {}).items()}:
                    import ahocorasick

                    automaton = ahocorasick.Automaton()
                    for name, unit in names.items():
                        automaton.add_word(name, (name, unit))
                    if names:
                        automaton.make_automaton()
                    self._automaton, self._names = automaton, names
                    self.version += 1
            return self._automaton, self._names

    def divisions_of(self, unit):
        """(province, city, county) names from the unit's ancestors in the tree (a
        government's name without 人民政府), "" for a level the tree does not have."""
        found = {}
        for pk in reversed([int(i) for i in unit.path.strip("/").split("/") if i]):
            ancestor = self._units.get(pk)
            if ancestor is not None and ancestor.level in DIVISION_LEVELS and ancestor.level not in found:
                aliases = sorted(unit_aliases(ancestor.name, ancestor.short_name) - {ancestor.name}, key=len)
                found[ancestor.level] = aliases[0] if aliases and ancestor.name.endswith("人民政府") else ancestor.name
        return tuple(found.get(level, "") for level in DIVISION_LEVELS)

    def units_in(self, text):
        automaton, names = self.automaton()
        if not names:
            return []
        seen = {}
        for _, (name, unit) in automaton.iter(text):
            seen.setdefault(unit.pk, (unit, name))
        # Most specific first: a village before its township, a township before its county.
        return [u for u, _ in sorted(seen.values(), key=lambda pair: (-len(pair[0].path), pair[0].path))]


DIVISION_LEVELS = ("province", "city", "county")


def division_codes(units):
    """The deployment's own division codes: the numeric codes of its units (a county's
    341122, a village's 341122200202), cut to the county (six digits)."""
    codes = set()
    for unit in units:
        for code in (unit.region_code, unit.code):
            if code and code.isdigit() and len(code) >= 6:
                codes.add(code[:6].rstrip("0") or code[:2])
    return tuple(sorted(codes))


GAZETTEER = Gazetteer()


def extract(text, *, prepared=False):
    """The places a text speaks of. A registration asks three times about one text
    (index, near-duplicates, suggestions): answers are kept per text until the names
    or the dictionary change. Treat the result as read-only."""
    # A letter names its place early: the first 5,000 characters bound the time.
    text = (text if prepared else prepare(text))[:PLACE_CHARS]
    GAZETTEER.automaton()
    SEGMENTER.tokenizer()
    return _extract(text, GAZETTEER.version, SEGMENTER.version)


@lru_cache(maxsize=256)
def _extract(text, gazetteer_version, dictionary_version):
    province, city, district, adcode = administrative_part(text, GAZETTEER.regions)
    units = GAZETTEER.units_in(text)
    if units:  # the deployment's own tree first
        tree = GAZETTEER.divisions_of(units[0])
        if any(tree):
            province = tree[0] or province
            city, district = tree[1] or city, tree[2] or district
            code = next((c for c in (units[0].region_code, units[0].code) if c and c.isdigit()), "")
            adcode = code[:6] if code else adcode
    local = local_places(text, prepared=True)
    return PlaceResult(province=province, city=city, district=district, adcode=adcode, local=local, units=units)


def place_unit(result, scope=None):
    """The unit of the place (属地): the most specific unit mentioned, within `scope`
    (a Unit) when given."""
    for unit in result.units:
        if scope is None or unit.path.startswith(scope.path):
            return unit
    return None
