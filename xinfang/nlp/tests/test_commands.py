import csv

from django.core.management import call_command

from xinfang.nlp.models import MinHashBand, SearchDocument, TextProfile


def write(path, rows, fields):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


WAGES = "建筑工地老板拖欠农民工工资三个月，工人多次讨要无果"
NOISE = "夜间工地施工噪声扰民，周边居民无法入睡"


def test_classify_eval_prints_per_class_figures_and_macro_f1_last(tmp_path, capsys, db):
    fields = ["id", "title", "text", "label"]
    train = [{"id": i, "title": t, "text": x, "label": lab} for i, (t, x, lab) in enumerate(
        [("欠薪", WAGES, "劳动"), ("工资", "公司欠工人工资", "劳动"), ("噪音", NOISE, "环境"), ("噪声", "广场舞噪声太大", "环境")] * 3)]
    test = [{"id": 1, "title": "讨薪", "text": "老板欠我工资", "label": "劳动"}, {"id": 2, "title": "吵", "text": "工地噪声", "label": "环境"}]
    taxonomy = write(tmp_path / "taxonomy.csv", [{"level1": "劳动", "level2": "工资福利", "level3": "工资发放"},
                                                 {"level1": "环境", "level2": "环境污染", "level3": "噪声污染"}], ["level1", "level2", "level3"])
    call_command("classify_eval", "--train", write(tmp_path / "a.csv", train, fields), "--test", write(tmp_path / "b.csv", test, fields))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "macro_f1=1.0000" and any(line.startswith("劳动") for line in out) and taxonomy in "\n".join(out)


def test_dedupe_scan_groups_near_duplicates_and_counts_pairs_last(tmp_path, capsys, db):
    rows = [{"id": 1, "title": "欠薪", "text": WAGES}, {"id": 2, "title": "欠薪", "text": WAGES + "！"},
            {"id": 3, "title": "欠薪问题", "text": WAGES + "，请求帮助"}, {"id": 4, "title": "噪音", "text": NOISE},
            {"id": 5, "title": "", "text": ""}, {"id": 6, "title": "😀", "text": "！！"}]
    call_command("dedupe_scan", write(tmp_path / "m.csv", rows, ["id", "title", "text"]))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "pairs=3 groups=1"
    assert "exact_pairs=1" in "\n".join(out)


def test_nlp_reindex_rebuilds_both_indexes(register_case, capsys):
    case = register_case()
    assert SearchDocument.objects.filter(case=case).exists()  # indexed as it was registered
    SearchDocument.objects.all().delete(), MinHashBand.objects.all().delete(), TextProfile.objects.all().delete()
    call_command("nlp_reindex")
    assert SearchDocument.objects.filter(case=case).exists() and TextProfile.objects.count() == 1 and MinHashBand.objects.count() == 16
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("indexed=1")
