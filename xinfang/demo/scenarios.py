"""What the demo petitions are about: one scenario per kind of real-world matter, with
the words a petitioner writes and the words the office answers with.

Written for the demo (the public message data in shared/data may not appear on demo
screens). Places, firms, schools and estates are those of the fictional 安宁县.
"""

from dataclasses import dataclass, field

from xinfang.cases.choices import Kind

from . import fake

G, A, S = Kind.GRIEVANCE, Kind.ACCUSATION, Kind.SUGGESTION

COMPANIES = ("安宁县恒达建筑劳务有限公司", "江州市宏远置业有限公司", "安宁县鑫旺化工有限公司", "安宁县联创电子有限公司",
             "安宁县绿源生态养殖场", "江州市顺通建设工程有限公司", "安宁县金穗米业有限公司", "安宁县华泰纺织有限公司")
PROJECTS = ("滨河新区道路", "县第二人民医院迁建", "城东工业园标准化厂房", "青山大道拓宽改造", "河口镇污水处理厂",
            "安置小区三期", "县城南环线", "文昌路学校新建")
SCHOOLS = {
    "chengguan": ("安宁县实验小学", "城关第二小学", "安宁县第一中学", "安宁县第三中学"),
    "qingshan": ("青山乡中心小学", "青山乡初级中学"),
    "hekou": ("河口镇中心小学", "河口镇初级中学"),
}
ASSETS = ("集体鱼塘", "村部闲置厂房", "集体林场", "沿街门面房")
FACTORIES = ("农机厂", "酒厂", "纺织厂", "化肥厂", "粮油加工厂")


@dataclass(frozen=True)
class Scenario:
    key: str
    category: str  # second-level category code (intake migration 0003)
    kind: str
    titles: tuple
    body: str
    request: str
    facts: str
    support: str
    explain: str = ""
    not_support: str = ""
    basis: str = ""
    # Who handles it: county departments by sample key, "local" for the township of
    # the place, "court" (forwarded), or "bureau" (the bureau answers itself).
    handlers: tuple = ("local",)
    places: tuple = ("qingshan", "hekou", "chengguan")
    decline: tuple = ()  # (reason, proper channel, guided procedure)
    collective: float = 0.0  # share of visits about it that are collective
    anonymous: float = 0.0  # share of letters/online messages that are anonymous
    weight: int = 3
    decline_only: bool = False
    assisting: tuple = field(default=())
    # For an accusation against a unit's people: who is accused, as (slot naming the
    # unit, post). The case then goes to discipline inspection, never to that unit.
    accused: tuple = ()


EXPLAIN = "经调查核实，{facts_short}。已向信访人当面说明有关政策规定和办理情况，信访人诉求中符合政策的部分已依规落实，其余部分缺乏政策依据，已作解释。"
NOT_SUPPORT = "经调查核实，信访人反映的问题与事实不符，其诉求缺乏法律和政策依据，不予支持。"

SCENARIOS = [
    Scenario(
        "land_comp", "0101", G,
        ("{village}征地补偿款至今未足额发放", "反映{village}{year}年征地补偿款被拖欠", "请求公开{village}征地补偿款发放明细"),
        "我们是{township}{village}村民。{year}年因{project}项目建设，村里{mu}亩承包地被征收，按公示标准补偿款应发放到户，"
        "但至今仍有约{amount}没有发到村民手里。我们多次找村委会和镇里，答复都是“资金还没到位”，已经拖了{months}个月。"
        "请求政府督促尽快足额发放，并公开征地补偿款的拨付和使用明细。",
        "足额发放{village}征地补偿款，公开拨付和使用明细",
        "{project}项目征收{village}集体土地{mu}亩，补偿款已拨付至{township}，其中{amount}因部分地块承包经营权存在争议暂未发放到户",
        "责成{township}在十五个工作日内将无争议部分补偿款发放到户，并在村务公开栏公示补偿款拨付、发放明细；"
        "有争议地块由镇村两级组织调处，调处后及时发放。",
        basis="《中华人民共和国土地管理法》第四十八条；《中华人民共和国村民委员会组织法》第三十条",
        handlers=("local", "land"), places=("qingshan", "hekou"), collective=0.5, weight=6,
    ),
    Scenario(
        "land_title", "0102", G,
        ("{village}与邻村山林地界争议多年未解决", "请求调处{village}第{group}组集体土地权属争议"),
        "{township}{village}第{group}村民小组与相邻村组之间有一片约{mu}亩的山林，历史上一直由我组经营管理。"
        "{year}年起对方村民强行砍伐、栽种，双方多次发生争执，险些酿成冲突。请求县自然资源部门依法调处，明确土地权属，防止矛盾激化。",
        "调处山林地界争议，确认土地权属",
        "经实地踏勘并调阅第二轮土地承包档案和林权登记资料，争议地块约{mu}亩，双方均无完整权属证明材料",
        "由县自然资源局会同{township}组织双方村组调解，调处期间双方不得砍伐、栽种或改变土地现状；调解不成的，依法作出权属处理决定。",
        basis="《中华人民共和国土地管理法》第十四条",
        handlers=("land",), places=("qingshan", "hekou"), collective=0.3, weight=2,
        decline=("土地权属争议依法由人民政府处理，不属于信访事项受理范围", "向安宁县人民政府申请土地权属争议调处，对处理决定不服的可依法申请行政复议或提起行政诉讼", "reconsideration"),
    ),
    Scenario(
        "illegal_land", "0103", A,
        ("举报{village}有人在基本农田上违法建房", "{village}耕地被违法占用建仓库"),
        "我实名举报：{village}有人自{month}月起在村口的基本农田上打地基、砌围墙，占地约{mu}亩，据说准备建仓库出租。"
        "村干部知道但没有制止。耕地是农民的命根子，请求有关部门尽快查处，恢复耕地原状。",
        "查处违法占用耕地建房行为，恢复耕地",
        "经县自然资源局执法人员现场核查，该处占用耕地约{mu}亩建设仓储用房，未办理农用地转用审批手续，属于违法占地",
        "已现场下达《责令停止违法行为通知书》并依法立案查处，责令当事人限期拆除违法建筑、恢复土地原状；{township}负责跟踪落实。",
        basis="《中华人民共和国土地管理法》第七十七条",
        handlers=("land",), places=("qingshan", "hekou"), anonymous=0.5, weight=3,
    ),
    Scenario(
        "homestead", "0104", G,
        ("申请宅基地建房迟迟得不到审批", "{village}宅基地审批不公开的问题"),
        "我家住{township}{village}，一家{n}口挤在上世纪八十年代的老房子里，房屋已成危房。{year}年我按规定提交了宅基地建房申请，"
        "材料齐全，但村里一直说“没有指标”，而同组有人已经批了第二处宅基地。请求公开宅基地审批情况，依法审批我的申请。",
        "依法审批宅基地建房申请，公开审批情况",
        "信访人的建房申请已提交至{village}，因村庄规划调整暂停受理；反映同组村民“一户两宅”问题属实",
        "{township}已恢复受理信访人的建房申请，在二十个工作日内完成审查；对同组“一户两宅”问题依法处理，并在村务公开栏公开宅基地审批结果。",
        basis="《中华人民共和国土地管理法》第六十二条",
        places=("qingshan", "hekou"), weight=3,
    ),
    Scenario(
        "demolition", "0201", G,
        ("{road}片区房屋征收补偿标准过低", "反映{road}棚户区改造评估不合理"),
        "我家位于城关镇{road}片区，房屋面积{area}平方米，今年被列入棚户区改造征收范围。评估公司给出的评估价每平方米只有{price}元，"
        "远低于周边二手房价格，而且评估时没有入户测量。我们多次向征收办反映都没有结果。请求重新评估，按市场价给予合理补偿。",
        "重新评估房屋价值，提高征收补偿标准",
        "{road}片区房屋征收评估由被征收人投票选定的评估机构实施，评估时点和方法符合规定；信访人房屋因未入户测量，部分装修未计入评估",
        "责成县房屋征收服务中心通知评估机构对信访人房屋补充入户测量，对装修部分补充评估，并将评估结果书面送达信访人。",
        explain="评估价格按征收决定公告之日被征收房屋类似房地产的市场价格确定，程序合法。对评估结果有异议的，可自收到评估报告之日起十日内申请复核评估。",
        basis="《国有土地上房屋征收与补偿条例》第十九条；《国有土地上房屋征收评估办法》第二十条",
        handlers=("housing",), places=("chengguan",), collective=0.5, weight=5,
        decline=("对房屋征收补偿决定不服，属于行政复议或行政诉讼受理范围", "自收到补偿决定之日起六十日内向安宁县人民政府申请行政复议，或依法提起行政诉讼", "reconsideration"),
    ),
    Scenario(
        "resettlement", "0202", G,
        ("{estate}安置房逾期{months}个月未交付", "要求尽快交付安置房并补发过渡费"),
        "我们是{road}的拆迁户，按协议{estate}安置房应在去年年底交房，至今已逾期{months}个月，工地时停时开。我们在外租房，"
        "过渡费只发到去年年底，生活压力很大。请求政府督促施工单位加快建设，明确交房时间，补发逾期期间的临时安置费。",
        "明确安置房交付时间，补发临时安置费",
        "{estate}安置房项目因施工单位资金问题停工两个月，现已复工，主体结构完工；逾期期间临时安置费确有{months}个月未发放",
        "县住建局已督促施工单位制定赶工计划，每月向拆迁户公开工程进度；临时安置费由县房屋征收服务中心在本月底前补发到位。",
        basis="《国有土地上房屋征收与补偿条例》第二十二条",
        handlers=("housing",), places=("chengguan",), collective=0.6, weight=3,
    ),
    Scenario(
        "property", "0203", G,
        ("{estate}物业服务差、电梯长期故障", "{estate}物业公司擅自上调物业费"),
        "我是{estate}业主。小区{bldg}号楼电梯从{month}月起三天两头停运，楼里不少老人上下楼非常困难；小区垃圾清运不及时，"
        "绿化带被占作停车位。物业公司却要上调物业费，业主多次投诉没人理。请求有关部门督促物业公司整改，公开公共收益账目。",
        "督促物业公司维修电梯、改善服务并公开公共收益",
        "经县住建局会同城关镇、社区现场检查，{estate}{bldg}号楼电梯主板老化、多次故障属实；小区公共收益未按规定公示",
        "已责令物业公司十日内完成电梯维修并经特种设备检验合格，每季度公示公共收益收支；社区指导业主依法成立业主委员会。",
        basis="《物业管理条例》第三十五条、第五十四条",
        handlers=("housing", "local"), places=("chengguan",), weight=5,
    ),
    Scenario(
        "title_cert", "0204", G,
        ("{estate}购房{years}年仍办不了不动产权证", "请求协调解决{estate}业主办证难"),
        "我在{estate}购买了商品房，开发商{company}承诺两年内办好产权证，但至今已过去{years}年还办不下来，开发商说是土地出让金没有缴清。"
        "孩子上学、房屋抵押都受影响。请求政府协调解决全体业主的办证问题。",
        "协调解决{estate}业主办理不动产权证",
        "{estate}项目因开发商欠缴部分土地出让金及配套费，尚未完成竣工验收备案，导致无法办理首次登记",
        "县政府已召开专题协调会，责成开发商限期补缴欠费；县住建局、自然资源局开辟绿色通道，分批为业主办理不动产权证。",
        basis="《不动产登记暂行条例》第十四条",
        handlers=("housing", "land"), places=("chengguan",), collective=0.4, weight=3,
    ),
    Scenario(
        "wages", "0301", G,
        ("{project}工地拖欠农民工工资", "{company}拖欠{n}名工人工资共{amount}", "讨要{project}项目拖欠的劳务费"),
        "我们是在{project}工地干活的农民工，共{n}人，从{month}月干到现在，包工头一直以各种理由拖欠工资，总计约{amount}。"
        "总包单位{company}说已经把钱付给了包工头，包工头现在不接电话。家里老人孩子都等着这笔钱，恳请政府为我们讨回血汗钱。",
        "追讨拖欠的农民工工资{amount}",
        "经县人社局劳动保障监察大队调查，{company}承建的{project}项目确有拖欠{n}名农民工工资约{amount}的情况，系劳务分包负责人挪用工程款所致",
        "已责令{company}先行垫付拖欠的农民工工资，并通过农民工工资专用账户发放到位；对劳务分包负责人涉嫌拒不支付劳动报酬的行为已移送公安机关。",
        basis="《保障农民工工资支付条例》第三十条、第五十四条",
        handlers=("labour",), collective=0.7, weight=8, assisting=("housing",),
        decline=("双方对工资数额存在争议，属于劳动争议", "向安宁县劳动人事争议仲裁委员会申请劳动仲裁，可向县法律援助中心申请法律援助", "arbitration"),
    ),
    Scenario(
        "social_insurance", "0302", G,
        ("{company}未给职工缴纳社会保险", "要求单位补缴养老保险"),
        "我在{company}工作了{years}年，签了劳动合同，但公司一直没有给我缴纳养老保险和医疗保险。我问过多次，公司说“工资里已经包含了”。"
        "请求劳动保障部门责令公司为我补缴社会保险。",
        "责令单位补缴社会保险费",
        "{company}未为信访人等{n}名职工足额缴纳社会保险费，情况属实",
        "县人社局已下达《劳动保障监察责令改正决定书》，责令{company}限期为相关职工补缴社会保险费；逾期不缴的，移交税务部门依法征缴。",
        basis="《中华人民共和国社会保险法》第五十八条、第八十六条",
        handlers=("labour",), weight=3,
    ),
    Scenario(
        "injury", "0304", G,
        ("工伤认定申请迟迟没有结果", "工伤待遇得不到落实"),
        "我在{company}车间作业时右手被机器压伤，住院治疗{n}周。公司不给申请工伤认定，我自己提交了材料，到现在也没有结果，"
        "医药费都是自己垫付的。请求尽快作出工伤认定，督促公司支付工伤待遇。",
        "尽快作出工伤认定，落实工伤待遇",
        "信访人的工伤认定申请因缺少用人单位证明材料而中止，{company}未按规定在三十日内提出工伤认定申请",
        "县人社局已恢复工伤认定程序并作出认定工伤决定；责令{company}承担信访人受伤期间的医疗费等工伤待遇。",
        basis="《工伤保险条例》第十七条、第二十条",
        handlers=("labour",), weight=2,
        decline=("双方就工伤待遇数额发生争议，属于劳动争议", "向安宁县劳动人事争议仲裁委员会申请劳动仲裁", "arbitration"),
    ),
    Scenario(
        "pension", "0305", G,
        ("退休后养老金核算有误", "要求认定原{factory}工作年限"),
        "我是原县{factory}的退休职工。办理退休时，我在厂里最初几年的工作经历没有计入连续工龄，养老金每月少了几百元。"
        "我有当年的招工表和工资单复印件。请求重新核定工龄，补发养老金。",
        "重新核定工龄，补发养老金",
        "经调阅信访人人事档案，其早期工作经历有招工审批表佐证，符合视同缴费年限认定条件",
        "县人社局已为信访人重新核定视同缴费年限，重新计算基本养老金，并从退休次月起补发差额。",
        basis="《国务院关于完善企业职工基本养老保险制度的决定》",
        handlers=("labour",), weight=2,
    ),
    Scenario(
        "contract_land", "0401", G,
        ("承包地被村里收回另行发包", "{village}土地流转未经本人同意"),
        "我是{township}{village}村民，第二轮土地承包时我家承包了{mu}亩耕地，有承包经营权证。今年村里以“统一流转”为由，"
        "未经我同意把我家承包地收回，租给外地老板搞种植。我要求退还承包地或按标准支付流转费。",
        "退还承包地或依约支付流转费用",
        "{village}在土地流转中未逐户签订流转合同，信访人家庭承包地被纳入流转范围未经本人书面同意",
        "责成{village}尊重信访人意愿，由信访人选择收回承包地或签订书面流转合同并按年支付流转费；{township}对全村土地流转合同进行规范。",
        basis="《中华人民共和国农村土地承包法》第三十六条、第三十八条",
        places=("qingshan", "hekou"), collective=0.3, weight=3,
        decline=("土地承包经营纠纷可以申请农村土地承包仲裁", "向安宁县农村土地承包仲裁委员会申请仲裁，或依法向人民法院起诉", "arbitration"),
    ),
    Scenario(
        "collective_assets", "0402", A,
        ("举报{village}干部违规处置集体资产", "{village}{asset}承包费去向不明"),
        "{village}的{asset}被村干部以很低的价格承包给亲戚，承包期{years}年，合同从未向村民公开，承包费去向不明。"
        "村民要求查账，村里一直推脱。请求上级调查处理，公开集体资产账目。",
        "调查集体资产承包问题，公开账目",
        "经{township}农村经营管理站审计，{village}{asset}承包未经村民代表会议讨论，承包价格明显偏低，承包费已入村集体账户但未按规定公开",
        "责成{village}重新召开村民代表会议对承包合同进行评议，依法变更合同价格；承包费收支在村务公开栏公示；对相关村干部违规处置集体资产的问题依规依纪立案审查。",
        basis="《中华人民共和国村民委员会组织法》第二十四条；《中国共产党纪律处分条例》",
        handlers=("local_discipline", "discipline"), places=("qingshan", "hekou"), anonymous=0.5, collective=0.3, weight=3,
        accused=("village", "村主任"),
    ),
    Scenario(
        "subsidy", "0403", G,
        ("耕地地力保护补贴未发放到户", "{village}惠农补贴漏发"),
        "我家在{township}{village}有{mu}亩承包地，今年的耕地地力保护补贴至今没有打到我的“一卡通”上，同组别人家都收到了。"
        "村会计说是名单上漏了我家，要等明年。请求核实后补发。",
        "补发耕地地力保护补贴",
        "因村级上报面积时录入错误，信访人家庭{mu}亩承包地未列入今年补贴发放名册，情况属实",
        "{township}已更正补贴名册，将信访人应得补贴补发至其惠农“一卡通”账户。",
        basis="《耕地地力保护补贴资金管理办法》",
        places=("qingshan", "hekou"), weight=3,
    ),
    Scenario(
        "village_affairs", "0404", G,
        ("{village}村务财务长期不公开", "要求{village}公开修路资金使用情况"),
        "{village}近{years}年没有公开过村级财务，修路、修水渠的钱花了多少村民都不知道。村民代表提出查账被拒绝。请求督促村里按规定公开村务财务。",
        "督促公开村务、财务",
        "{village}村务公开栏近两个季度未更新，部分工程项目支出未公示",
        "{township}已责令{village}在十日内补充公开村级财务收支和工程项目情况，并指导村务监督委员会每季度开展监督。",
        basis="《中华人民共和国村民委员会组织法》第三十条",
        places=("qingshan", "hekou"), collective=0.3, weight=2,
    ),
    Scenario(
        "streetlights", "0501", S,
        ("建议修复{road}损坏的路灯", "{road}下水道堵塞，雨天积水严重"),
        "{road}靠近{estate}的一段约{m}米，路灯大部分不亮已有{months}个月，晚上行人和电动车经过很危险；一下雨路面积水没过脚踝。"
        "建议有关部门尽快维修路灯、疏通下水道。",
        "维修路灯、疏通排水管网",
        "经县住建局市政管理所现场检查，该路段{n}盏路灯线路老化损坏、雨水井淤堵属实",
        "市政管理所已完成路灯线路更换和雨水井清淤，并将该路段纳入日常巡查。",
        handlers=("housing", "local"), places=("chengguan",), weight=3,
    ),
    Scenario(
        "school_crossing", "0502", S,
        ("建议在{school}门口增设红绿灯和减速带", "{school}门口上下学时段交通混乱"),
        "{school}门口是{road}的一个路口，上下学时段车流人流混杂，没有红绿灯和斑马线，已经发生过几次剐蹭。作为家长，"
        "建议在学校门口设置信号灯、减速带，并在高峰时段安排交警或志愿者疏导交通。",
        "在学校门口增设交通信号灯和减速带",
        "经县公安局交警大队会同县住建局现场勘查，该路口上下学高峰时段通行量大，具备设置信号灯条件",
        "已将该路口信号灯设置列入今年交通设施改造计划，减速带和斑马线已于本月施划；上下学高峰时段安排交警执勤。",
        handlers=("police",), places=("chengguan",), weight=2, assisting=("housing",),
    ),
    Scenario(
        "bus_line", "0502", S,
        ("建议开通{village}至县城的公交线路",),
        "{township}{village}距离县城二十多公里，目前没有公交车，村民去县城看病、办事只能坐私人面包车，既不安全又贵，学生周末往返也很不方便。"
        "建议开通{village}到县城的城乡公交，或者延长现有线路。",
        "开通城乡公交线路",
        "经县住建局会同{township}调研，{village}沿线道路已具备通行公交车条件",
        "已将{village}纳入城乡公交一体化延伸计划，计划于下季度开通试运行，早晚各安排两班。",
        handlers=("housing",), places=("qingshan", "hekou"), weight=2,
    ),
    Scenario(
        "illegal_building", "0503", A,
        ("举报{estate}顶楼业主违章搭建", "{estate}{bldg}号楼楼顶私搭乱建"),
        "{estate}{bldg}号楼顶楼业主今年{month}月起在楼顶平台搭建彩钢房，面积约{area}平方米，施工期间楼下住户房屋出现渗水，"
        "且存在安全隐患。我们向物业和社区反映过，违建仍在继续施工。请求依法拆除。",
        "依法拆除楼顶违章建筑",
        "经城关镇综合执法队现场核查，该业主在屋顶平台搭建彩钢房约{area}平方米，未取得规划许可，属违法建设",
        "城关镇已下达限期拆除通知书，当事人已在期限内自行拆除，并由物业公司对楼顶防水层进行修复。",
        basis="《中华人民共和国城乡规划法》第六十四条",
        places=("chengguan",), anonymous=0.3, weight=3,
    ),
    Scenario(
        "water_supply", "0504", G,
        ("{estate}频繁停水、水压不足",),
        "{estate}近{months}个月经常停水，事先没有通知，高层住户即使有水水压也很低，做饭洗澡都成问题。自来水公司说是管网老化。"
        "请求尽快改造供水管网，保障居民正常用水。",
        "改造供水管网，保障正常用水",
        "{estate}供水管道铺设于二十年前，管径偏小，二次加压设备老化，属实",
        "县住建局已督促供水公司将{estate}纳入今年老旧管网改造计划，二次供水设备于本月更换完毕；计划停水须提前二十四小时通知。",
        basis="《城市供水条例》第二十二条",
        handlers=("housing",), places=("chengguan",), collective=0.3, weight=2,
    ),
    Scenario(
        "air", "0601", G,
        ("{company}夜间排放刺鼻气体", "反映{village}附近工厂废气扰民"),
        "我们住在{village}附近，{company}经常在夜里排放刺鼻的气体，尤其是晚上十点以后味道特别大，开着窗根本睡不着，"
        "不少老人孩子咳嗽、头疼。请求环保部门夜间突击检查，依法查处偷排行为。",
        "查处企业夜间偷排废气",
        "经县生态环境分局夜间突击检查，{company}废气处理设施活性炭未按时更换，车间存在无组织排放，厂界臭气浓度超标",
        "已依法对{company}立案处罚，责令其停产整改，整改完成并经监测达标后方可恢复生产，并安装在线监控设施与生态环境部门联网。",
        basis="《中华人民共和国大气污染防治法》第四十八条、第一百零八条",
        handlers=("environment",), collective=0.4, weight=4, assisting=("local",),
    ),
    Scenario(
        "water_pollution", "0602", G,
        ("{village}养殖场污水直排河道",),
        "{village}有一家生猪养殖场，存栏上千头，粪污不经处理直接排到村前小河里，河水发黑发臭，下游村民的稻田用水受影响，"
        "夏天臭味熏得人受不了。请求依法查处，恢复河道水质。",
        "查处养殖场污水直排，治理河道",
        "经县生态环境分局现场检查并取样监测，该养殖场粪污处理设施容量不足，存在粪污溢流入河情况",
        "已责令养殖场限期扩建粪污处理设施、落实粪污资源化利用，并依法处罚；{township}负责对受污染河段进行清淤。",
        basis="《中华人民共和国水污染防治法》；《畜禽规模养殖污染防治条例》",
        handlers=("environment",), places=("qingshan", "hekou"), collective=0.3, weight=3,
    ),
    Scenario(
        "noise", "0603", G,
        ("{road}工地夜间施工噪音扰民", "{estate}楼下烧烤店噪音油烟扰民"),
        "{road}旁的{project}工地最近一个多月几乎每晚施工到凌晨一两点，打桩机、渣土车轰鸣不断，附近{estate}的居民无法休息，"
        "孩子面临考试。请求有关部门依法制止夜间违规施工。",
        "制止夜间违规施工噪声",
        "该工地未办理夜间施工证明，夜间施工噪声超过排放标准",
        "已责令施工单位停止夜间施工，确需连续作业的须依法办理手续并提前公告；对其违法行为依法处罚，并安排夜间巡查。",
        basis="《中华人民共和国噪声污染防治法》第四十三条、第七十七条",
        handlers=("environment", "local"), places=("chengguan",), weight=5,
    ),
    Scenario(
        "waste", "0604", G,
        ("{village}路边被倾倒大量建筑垃圾",),
        "最近两个月，经常有渣土车夜里把建筑垃圾倒在{village}通往县城的路边和沟渠里，已经堆了几百方，堵塞了排水沟，"
        "下雨天泥水冲进农田。请求有关部门查处乱倒行为，清运垃圾。",
        "查处乱倒建筑垃圾行为并清运",
        "经现场核查，{village}路段沿线堆放建筑垃圾约{n}百立方米，系县城两处工地渣土车夜间偷倒",
        "已对涉事运输企业依法处罚并责令其承担清运费用，垃圾已清运完毕；{township}在路口设置监控并加强夜间巡查。",
        handlers=("environment", "local"), places=("qingshan", "hekou"), weight=2,
    ),
    Scenario(
        "medical_insurance", "0702", G,
        ("异地就医住院费用报销难", "急诊住院未备案无法正常报销"),
        "我母亲今年{month}月在省城住院做手术，花费{amount}，出院回来报销时被告知没有办理异地就医备案，只能按较低比例报销。"
        "住院时情况紧急，根本来不及备案。请求按规定补办备案，按正常比例报销。",
        "补办异地就医备案，按规定比例报销",
        "经协调县医疗保障部门核查，信访人母亲系急诊入院，符合急诊抢救补办备案条件",
        "已协调县医疗保障部门为其补办异地就医备案，按规定比例报销住院费用。",
        basis="《基本医疗保险跨省异地就医直接结算管理办法》",
        handlers=("bureau",), weight=2,
    ),
    Scenario(
        "medical_dispute", "0701", G,
        ("对县人民医院诊疗结果不满要求赔偿",),
        "我父亲{month}月在县人民医院做胆囊手术，术后出现并发症转院治疗，花费{amount}。我们认为医院存在过错，多次找医院协商没有结果。"
        "请求政府主持公道，让医院赔偿。",
        "要求医院赔偿医疗损失",
        "", "",
        handlers=("bureau",), weight=2, decline_only=True,
        decline=("医疗损害赔偿属于民事纠纷，应通过调解或诉讼解决", "向安宁县医疗纠纷人民调解委员会申请调解，或依法向人民法院提起诉讼", "litigation"),
    ),
    Scenario(
        "enrolment", "0801", G,
        ("孩子入学被调剂到远处学校", "按学区应就读{school}却被拒收"),
        "我们一家在城关镇{estate}买了房并已落户，孩子今年上一年级，按学区划分应该就读{school}，但报名时学校说学位已满，"
        "把孩子调剂到离家五公里外的学校，接送非常困难。请求教育部门公开学位分配情况，按学区安排孩子就近入学。",
        "按学区安排子女就近入学",
        "经县教育局核查，{school}今年一年级学位计划已满，按“房户一致、先到先得”原则调剂部分新生，信访人孩子属于调剂对象",
        "县教育局已协调{school}增设一个教学班，信访人孩子已安排入学。",
        explain="今年{school}学区内适龄儿童超过学位计划，调剂按公开的招生方案进行；已安排校车接送调剂学生。",
        basis="《中华人民共和国义务教育法》第十二条",
        handlers=("education",), places=("chengguan",), weight=4,
    ),
    Scenario(
        "school_fees", "0802", A,
        ("举报{school}违规收取补课费、资料费",),
        "{school}初三年级今年暑假组织学生集中补课，每人收取补课费{fee}元，还统一征订教辅资料，说是“自愿”，但不交的学生被老师点名。"
        "请求教育部门查处违规收费问题并退还费用。",
        "查处违规收费并退还",
        "经县教育局调查，{school}暑期组织初三年级补课并收取费用属实，违反义务教育阶段学校不得组织有偿补课的规定",
        "已责令{school}全额退还补课费和教辅资料费，对学校负责人进行约谈问责，并在全县教育系统通报。",
        basis="《中华人民共和国义务教育法》第五十六条",
        handlers=("education",), anonymous=0.6, weight=2,
    ),
    Scenario(
        "dibao", "0901", G,
        ("低保被取消要求恢复", "家庭困难申请低保未获批准"),
        "我今年{age}岁，住{township}{village}，老伴去年去世，儿子患重病常年吃药，家里没有劳动力。原来享受低保，今年年审时被取消，"
        "村干部说我家“有车”，其实那辆旧三轮车早就报废了。请求重新核查，恢复我家的低保。",
        "重新核查家庭经济状况，恢复最低生活保障",
        "经{township}民政办入户调查，信访人名下三轮车已报废，家庭人均收入低于当地低保标准，符合低保条件",
        "{township}已重新审核，恢复信访人家庭最低生活保障待遇并补发停发期间的低保金，同时将其儿子纳入临时救助。",
        not_support="经入户核查，信访人家庭成员有稳定务工收入，家庭人均收入高于当地低保标准，不符合低保条件；已告知可申请临时救助。",
        basis="《社会救助暂行办法》第九条、第十一条",
        places=("qingshan", "hekou", "chengguan"), weight=5,
    ),
    Scenario(
        "elderly_meals", "0902", S,
        ("建议在{estate}附近建设老年助餐点",),
        "我们{estate}周边老年人很多，不少是独居老人，买菜做饭很不方便。建议政府在社区设置老年助餐点，提供价格实惠的午餐，"
        "并为高龄老人送餐上门。",
        "建设社区老年助餐点",
        "经城关镇和社区调研，{estate}所在社区60岁以上老年人约{n}百人，现有养老服务设施不能满足助餐需求",
        "城关镇已将该社区老年助餐点建设纳入今年民生实事项目，利用社区服务中心用房改建，预计年内投入运行。",
        places=("chengguan",), weight=2,
    ),
    Scenario(
        "execution", "1002", G,
        ("胜诉判决{years}年未执行到位", "请求督促法院执行民间借贷判决"),
        "我与他人民间借贷纠纷一案，安宁县人民法院判决对方归还借款{amount}及利息，判决已经生效。我申请强制执行后，至今已经{years}年，"
        "只执行了一小部分，对方名下有房有车却说没有财产可供执行。请求督促法院依法执行。",
        "督促法院依法执行生效判决",
        "该案已立案执行，法院已查封被执行人名下房产一处，因案外人提出异议暂缓处置",
        "县人民法院已依法审查案外人异议并予以驳回，对查封房产启动司法拍卖程序，拍卖款将依法清偿申请执行人债权。",
        basis="《中华人民共和国民事诉讼法》第二百四十二条",
        handlers=("court",), weight=3,
        decline=("该事项属于已经人民法院生效裁判的涉法涉诉事项", "依法向安宁县人民法院申请执行监督，或向江州市中级人民法院申请再审", "litigation"),
    ),
    Scenario(
        "public_order", "1101", G,
        ("{estate}附近夜间有人聚众赌博", "报警后派出所处理不及时"),
        "{estate}附近一处出租屋最近经常有人聚集打牌赌博，每晚进出几十人，车辆乱停，吵闹到深夜，还有放高利贷的人出入。"
        "居民打过报警电话，警察来了以后没多久又恢复原样。请求公安机关依法打击。",
        "依法查处聚众赌博，维护治安",
        "经县公安局城关派出所核查，该出租屋存在组织他人赌博的违法行为",
        "县公安局已依法查处该赌博窝点，对组织者依法处理，并将该区域纳入夜间重点巡逻。",
        basis="《中华人民共和国治安管理处罚法》第七十条",
        handlers=("police",), places=("chengguan",), anonymous=0.6, weight=2,
    ),
    Scenario(
        "fundraising", "1401", G,
        ("{company}以高息为诱饵非法集资", "投资款被{company}卷走"),
        "{company}以投资养老项目、年息{rate}%为名，向城关镇和周边乡镇群众吸收资金，我和{n}名亲友共投入{amount}。"
        "今年起公司停止付息，负责人联系不上，办公室已经关门。请求公安机关立案侦查，追回群众的血汗钱。",
        "对非法集资立案侦查，追缴资金",
        "经县公安局核查，{company}涉嫌非法吸收公众存款，已立案侦查并依法冻结涉案账户",
        "县公安局已对{company}立案侦查，主要负责人已被依法采取强制措施；请信访人按公告到指定地点登记集资款情况，追缴的资金将依法按比例清退。",
        basis="《防范和处置非法集资条例》第二十四条",
        handlers=("police",), collective=0.7, weight=3,
    ),
    Scenario(
        "cadre_conduct", "1201", A,
        ("举报{village}村干部工作作风粗暴", "反映{village}村干部优亲厚友"),
        "{village}村干部在低保评定、危房改造补助发放中优亲厚友，把名额给了自己的亲戚，真正困难的群众反而评不上。"
        "群众去村部询问，村干部态度恶劣。请求上级调查处理。",
        "调查处理村干部优亲厚友问题",
        "经纪检监察机关初步核实，{village}在低保评定、危房改造补助对象确定中未经村民代表会议评议、未按规定张榜公示，反映的部分情况属实",
        "责成{township}督促{village}重新组织低保和危房改造对象评议并张榜公示，对不符合条件的对象予以清退；对相关村干部依规依纪作出处理，处理结果已书面告知信访人。",
        basis="《社会救助暂行办法》第十一条；《中国共产党纪律处分条例》",
        handlers=("discipline", "local_discipline"), places=("qingshan", "hekou"), anonymous=0.7, weight=3,
        accused=("village", "村干部"),
    ),
]

BY_KEY = {s.key: s for s in SCENARIOS}


def slots(rng, place):
    """The words a scenario's templates may use, for one case at one place."""
    town, villages = fake.TOWNSHIP_PLACES[place]
    wan = rng.choice((1.2, 2.6, 3.8, 4.5, 6.8, 8.2, 12.5, 15.0, 23.6, 36.0, 48.0))
    return {
        "township": town,
        "village": rng.choice(villages),
        "estate": rng.choice(fake.ESTATES),
        "road": rng.choice(fake.ROADS),
        "company": rng.choice(COMPANIES),
        "project": rng.choice(PROJECTS),
        "school": rng.choice(SCHOOLS[place]),
        "asset": rng.choice(ASSETS),
        "factory": rng.choice(FACTORIES),
        "year": rng.choice((2023, 2024, 2025)),
        "years": rng.randint(2, 6),
        "months": rng.randint(3, 10),
        "month": rng.randint(1, 9),
        "mu": rng.choice((3.5, 12, 18, 26, 40, 65, 120)),
        "amount": f"{wan}万元",
        "n": rng.randint(3, 28),
        "group": rng.randint(1, 9),
        "area": rng.choice((45, 68, 86, 96, 112, 130)),
        "price": rng.choice((2100, 2350, 2680, 2900)),
        "bldg": rng.randint(1, 22),
        "m": rng.choice((300, 500, 800, 1200)),
        "fee": rng.choice((800, 1200, 1500, 2000)),
        "age": rng.randint(58, 86),
        "rate": rng.choice((12, 15, 18, 24)),
    }


def fill(template, words):
    return template.format_map(words) if template else ""


def reply_texts(scenario, words, outcome):
    facts = fill(scenario.facts, words)
    opinion = {
        "support": fill(scenario.support, words),
        "explain": fill(scenario.explain, words) or EXPLAIN.format(facts_short=facts),
        "not_support": fill(scenario.not_support, words) or NOT_SUPPORT,
    }[outcome]
    return {
        "request_summary": fill(scenario.request, words),
        "facts": "经调查核实，" + facts + "。" if not facts.startswith("经") else facts + "。",
        "opinion": opinion,
        "legal_basis": scenario.basis,
    }
