"""Fictional people for the demo and the benchmarks: names, valid-looking resident ID
numbers (GB 11643, correct check digit), phone numbers and addresses in the sample
county. Nobody here is real; the ID numbers are made up and only pass the checksum."""

import datetime

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)
GIVEN = (
    "建国 建华 国强 国庆 志强 志明 秀英 秀兰 桂英 桂兰 玉兰 玉梅 淑珍 凤英 海燕 红梅 丽华 春花 "
    "德福 德胜 永强 永红 金凤 长青 长林 光明 卫东 卫国 晓东 晓燕 小红 小军 文杰 文华 明辉 俊杰 "
    "子涵 浩然 雨萱 欣怡 宇航 梓轩 思雨 佳怡 一鸣 家豪 春生 秋菊 冬梅 满仓 有才 守信 德明 桂芳 "
    "立新 新民 爱民 振华 少华 美玲 素琴 翠花 宏伟 军 勇 伟 敏 静 磊 洋 艳 娟 涛 斌 芳 霞 刚 平"
).split()

# County codes of the ID numbers. 安宁县 borrows the real code 341122, which exists
# since 1992; people born before carry the county's earlier code 342322. A few
# petitioners were born elsewhere.
LOCAL_BEFORE_1992, LOCAL = "342322", "341122"
ELSEWHERE = ("110105", "320102", "340102", "310104", "330106", "341102", "341124")

ROADS = ("人民路", "建设路", "解放街", "滨河路", "青山大道", "文昌路", "新华街", "迎宾大道", "朝阳路", "长江路")
ESTATES = ("锦绣花园", "滨河苑", "阳光新城", "东湖小区", "金桂园", "御景华庭", "书香门第", "翠湖湾", "安居苑", "丽景名都")
TOWNSHIP_PLACES = {
    "chengguan": ("城关镇", ("东街社区", "西街社区")),
    "qingshan": ("青山乡", ("山下村", "竹岭村")),
    "hekou": ("河口镇", ("渡口村", "新河村")),
}


def name(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def names(rng, count):
    """`count` different names (representatives are matched by name)."""
    out = []
    while len(out) < count:
        candidate = name(rng)
        if candidate not in out:
            out.append(candidate)
    return out


def id_number(rng, *, local=None, year_from=1940, year_to=2004):
    """An 18-character number with a valid birth date, a county code in use in the
    birth year and the right check digit. Fictional: it only passes the checks.

    Local numbers need no look-up; others are checked against python-stdnum's table of
    county codes (slow, so the benchmarks make local ones only)."""
    start = datetime.date(year_from, 1, 1).toordinal()
    end = datetime.date(year_to, 12, 31).toordinal()
    if local is None:
        local = rng.random() < 0.8
    while True:
        born = datetime.date.fromordinal(rng.randint(start, end))
        if local:
            place = LOCAL_BEFORE_1992 if born.year < 1992 else LOCAL
        else:
            place = rng.choice(ELSEWHERE)
        body = f"{place}{born:%Y%m%d}{rng.randint(1, 999):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if local or ric.is_valid(number):
            return number


def phone(rng):
    return rng.choice(("139", "138", "137", "136", "135", "158", "159", "188", "187", "182")) + f"{rng.randint(0, 99_999_999):08d}"


def address(rng, township=None, village=None):
    if township is None:
        township = rng.choice(tuple(TOWNSHIP_PLACES))
    town, villages = TOWNSHIP_PLACES[township]
    if township == "chengguan":
        return (f"安宁县城关镇{rng.choice(ROADS)}{rng.randint(1, 300)}号{rng.choice(ESTATES)}"
                f"{rng.randint(1, 24)}栋{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室")
    village = village or rng.choice(villages)
    return f"安宁县{town}{village}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"


def person(rng, township=None, village=None, *, with_id=True):
    return {
        "name": name(rng),
        "id_number": id_number(rng) if with_id else "",
        "phone": phone(rng),
        "address": address(rng, township, village),
    }
