"""A sensible default two-level category tree; offices edit it in the admin."""

from django.db import migrations

TREE = [
    ("01", "土地征收", ["征地补偿", "土地权属", "违法占地", "宅基地"]),
    ("02", "住房与拆迁", ["房屋征收补偿", "安置房", "物业管理", "房产登记", "保障性住房"]),
    ("03", "劳动和社会保障", ["拖欠工资", "社会保险", "劳动合同", "工伤", "退休待遇"]),
    ("04", "农村农业", ["土地承包", "农村集体资产", "惠农补贴", "村务公开"]),
    ("05", "城乡建设", ["市政设施", "道路交通", "违章建筑", "供水供电供气"]),
    ("06", "生态环境", ["大气污染", "水污染", "噪声扰民", "固体废物"]),
    ("07", "卫生健康", ["医疗纠纷", "医保报销", "公共卫生"]),
    ("08", "教育", ["入学招生", "教育收费", "教师待遇"]),
    ("09", "民政", ["低保救助", "养老服务", "优抚安置", "婚姻殡葬"]),
    ("10", "政法", ["诉讼案件", "判决执行", "检察监督"]),
    ("11", "公安", ["治安管理", "户籍证件", "交通管理"]),
    ("12", "纪检监察", ["干部作风", "违纪违法", "基层腐败"]),
    ("13", "企业改制", ["国企改制", "职工安置"]),
    ("14", "金融与非法集资", ["非法集资", "金融纠纷", "网络借贷"]),
    ("99", "其他", ["其他"]),
]


def seed(apps, schema_editor):
    Category = apps.get_model("intake", "Category")
    for order, (code, name, children) in enumerate(TREE):
        top, _ = Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        for i, child in enumerate(children, start=1):
            Category.objects.get_or_create(code=f"{code}{i:02d}", defaults={"name": child, "parent": top, "sort_order": i})


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
