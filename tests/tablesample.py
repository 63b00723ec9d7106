"""A realistic attachment table (附件 分工表, 28 rows × 5 columns, ~400-character cells)
and an 11-column statistics table, written as the files clerks keep (CSV, XLSX).

The kunshan sample (shared/samples/kunshan-gongwen-tongzhi.txt) holds no table of its own;
its activities, offices and dates feed this one. Used by the rendered tests and bench/.
"""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
INDICATOR_HEADER = ["序号", "区镇", "新增市场主体", "其中企业", "个体工商户", "新增就业人数",
                    "创业带动就业", "孵化器", "众创空间", "投资额（万元）", "完成率"]

TOPICS = [
    "全国“科普日”活动", "“创业梦+就业桥”青年创业大赛", "孵化基地创业孵化培训会", "汽车智能与网联技术国际学术会议",
    "姑苏创协与昆山创协联谊活动", "新材料技术应用与创新产学研沙龙", "创业典型专题宣传", "工业机器人技术应用技能大赛",
    "“创客中国”总决赛参赛组织", "双创成果集中展示", "双创政策解读与宣讲", "创新创业项目路演",
    "众创空间提质增效", "科技企业孵化器建设", "大学生创业引领计划", "返乡入乡创业扶持",
]
CLAUSES = [
    "围绕活动主题，集中展现各行业、各区域、各社会团体双创活动成果",
    "搭建双创成果的交流交易平台，全面放大双创品牌效应",
    "积极推动双创活动向深层次拓展，提高大众对双创活动的参与度和认同度",
    "邀请政府领导、创投人士、知名企业家、专家学者、知名创业者及媒体人士等参加",
    "举办多种层次和领域的会议和论坛，发布双创工作新举措，阐释双创政策",
    "采用视频节目、人物专访、网络直播等多种文化和艺术形式，讲述双创故事",
    "在各种媒体上广泛传播，扩大双创活动的凝聚力和影响力",
    "全球范围内甄选新科技、新材料、新能源等领域的优秀项目和创业团队",
    "组织社会公众、广大科技工作者及青年学生群体积极参加各种创业创新大赛",
    "开展各种政策解读、信息传播、报告公布、投资对接、合作签约、培训辅导等活动",
    "于当天下午16时前将活动信息、照片和视频等材料报送至市发改委",
    "落实2000万元专项资金，确保2017年新增孵化面积不少于3.5万平方米",
]
LEADS = ["市发改委", "市科技局", "市人社局", "市经信委", "市委宣传部", "昆山开发区", "昆山高新区", "市财政局"]
PARTNERS = ["各区镇", "市财政局、市人社局", "市科协、团市委", "市总工会、市妇联", "各区镇、各相关部门",
            "市教育局、市商务局", "市市场监管局"]
DEADLINES = ["2017年9月底", "2017年10月15日", "2017年12月底", "长期坚持", "2018年6月", "2017年11月"]
TOWNS = ["昆山开发区", "昆山高新区", "花桥经济开发区", "旅游度假区", "张浦镇", "周市镇", "陆家镇", "巴城镇",
         "千灯镇", "淀山湖镇", "锦溪镇", "周庄镇"]


def task_text(index: int, length: int = 400) -> str:
    """About `length` characters of task description, different for every row."""
    text = f"组织开展{TOPICS[index % len(TOPICS)]}。"
    step = 0
    while len(text) < length:
        text += CLAUSES[(index * 5 + step * 7) % len(CLAUSES)] + ("；" if step % 3 != 2 else "。")
        step += 1
    return text[:length - 1] + "。"


def division_rows(count: int = 28, length: int = 400) -> list[list[str]]:
    rows = [HEADER]
    for i in range(count):
        rows.append([str(i + 1), task_text(i, length), LEADS[i % len(LEADS)], PARTNERS[i % len(PARTNERS)],
                     DEADLINES[i % len(DEADLINES)]])
    return rows


def indicator_rows() -> list[list[str]]:
    rows = [INDICATOR_HEADER]
    for i, town in enumerate(TOWNS):
        rows.append([str(i + 1), town, str(1200 + 37 * i), str(400 + 13 * i), str(800 + 24 * i),
                     str(2000 + 91 * i), str(300 + 17 * i), str(2 + i % 4), str(3 + i % 5),
                     f"{12500 + 731 * i}", f"{88 + i % 13}.{i % 10}%"])
    return rows


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]], merges: list[str] = ()) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def attachment_item(dir: Path, column: str = "要闻", date: str = "2017-09-20") -> Path:
    """An item with the 28-row 分工表 (CSV) and the 11-column table (XLSX), as a clerk writes it."""
    write_csv(dir / "分工表.csv", division_rows())
    write_xlsx(dir / "指标.xlsx", indicator_rows())
    item = dir / "attachment.md"
    item.write_text(
        f"---\ntitle: 双创活动周工作分工\ncolumn: {column}\ndate: {date}\n---\n\n"
        "为确保各项活动落到实处，现将工作分工印发如下。\n\n"
        "![表1 2017年双创活动周重点工作分工表](分工表.csv)\n\n"
        "各区镇指标完成情况见下表。\n\n"
        "![表2 各区镇双创指标完成情况](指标.xlsx)\n\n"
        "请各单位按照分工抓好落实。\n", encoding="utf-8")
    return item
