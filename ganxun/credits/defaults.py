"""Default requirements, taken from the national regulations; each names its source.

Figures from /work/shared/research/rules-cn.md: 条例 §1.2 ([V] read on 12371.cn and
xndjw.gov.cn), 规划 §2 (50 学时 online per year, [S] second-hand via 云南省干部在线学习学院).
Used by the migration that seeds them and by "恢复默认要求" on the rules page.
"""

from decimal import Decimal

LEADERS = ["bureau_main", "bureau_deputy", "county_main", "county_deputy"]
OTHERS = ["section_main", "section_deputy", "general"]
# 集中培训 in the sense of 条例 第十四条: classroom channels; online, teaching, reading groups and
# practice count elsewhere or not at all (a local rule may add them, with a cap).
CLASSROOM = [1, 3, 4, 5, 6]
TIAOLI = "《干部教育培训工作条例》（2023年修订）第十四条"
TIAOLI_URL = "https://12371.cn/2023/10/17/ARTI1697545618025106.shtml"
GUIHUA = (
    "《全国干部教育培训规划（2023—2027年）》量化指标：网络自学每年不少于50学时"
    "（据云南省干部在线学习学院转引）"
)
GUIHUA_URL = "https://www.ynsgbzx.cn/page.aspx?id=1410"
DEFAULT_REQUIREMENTS = [
    {
        "name": "县处级以上领导干部每5年脱产培训",
        "ranks": LEADERS,
        "period": "five_years",
        "amount": Decimal("550"),
        "unit": "hours",
        "channels": CLASSROOM,
        "source": TIAOLI + "：每5年累计不少于3个月或者550学时",
        "source_url": TIAOLI_URL,
        "sort": 10,
    },
    {
        "name": "乡科级及以下干部每年集中培训",
        "ranks": OTHERS,
        "period": "year",
        "amount": Decimal("12"),
        "unit": "days",
        "channels": CLASSROOM,
        "source": TIAOLI + "：每年累计不少于12天或者90学时",
        "source_url": TIAOLI_URL,
        "sort": 20,
    },
    {
        "name": "网络自学",
        "ranks": LEADERS + OTHERS,
        "period": "year",
        "amount": Decimal("50"),
        "unit": "hours",
        "channels": [2],
        "source": GUIHUA,
        "source_url": GUIHUA_URL,
        "sort": 30,
    },
]
