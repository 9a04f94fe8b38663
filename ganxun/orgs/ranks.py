"""The rank model: every rank system offices write, each rank mapped to one comparable level.

A cadre's 职级 is recorded as the office writes it, as a row of the correspondence table
(``RankTitle``: 管理八级, 专技十级, 一级主任科员, 乡科级正职 …, each in its system). Each row
names the comparable level it counts as (``Cadre.Rank``: 厅局级正职 … 一般干部), which is what
requirements, compliance, targeting and statistics read (``Cadre.rank``). The table is data an
administrator may edit; this module holds its shipped defaults, with the sources they follow,
and the one function that turns a written rank into the key the table is looked up by.

Personnel categories (人员类别/身份: 公务员, 参公, 事业单位人员 …) are a second, extendable list
(``PersonnelCategory``) with the synonyms offices write; the configurable tags (年轻干部 …)
stay separate (``CadreCategory``).
"""

import re
import unicodedata

LEADING, GRADE, MANAGEMENT, PROFESSIONAL, WORKER, OTHER = (
    "leading",
    "grade",
    "management",
    "professional",
    "worker",
    "other",
)
SYSTEMS = [
    (LEADING, "领导职务"),
    (GRADE, "公务员职级"),
    (MANAGEMENT, "事业单位管理岗位"),
    (PROFESSIONAL, "事业单位专业技术岗位"),
    (WORKER, "事业单位工勤技能岗位"),
    (OTHER, "其他"),
]
SOURCE = (
    "《公务员职务与职级并行规定》（2019）第八条、第十九条；《事业单位岗位设置管理试行办法》"
    "（国人部发〔2006〕70号）第九条、第十条及其实施意见；《干部教育培训工作条例》（2023）第十四条"
)
CN_DIGITS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 13 → 十三 (the numbers rank names use)."""
    if n <= 10:
        return CN_DIGITS[n - 1]
    return "十" + CN_DIGITS[n - 11]


# (code, name, system, level, extra spellings). Level "" = the table cannot place it (shown in
# the data-quality list until an administrator decides).
_DEFAULTS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("lead_bureau_main", "厅局级正职", LEADING, "bureau_main", ("正厅", "正局", "厅级正职")),
    ("lead_bureau_deputy", "厅局级副职", LEADING, "bureau_deputy", ("副厅", "副局", "厅级副职")),
    ("lead_county_main", "县处级正职", LEADING, "county_main", ("正处", "正县", "处级正职")),
    ("lead_county_deputy", "县处级副职", LEADING, "county_deputy", ("副处", "副县", "处级副职")),
    ("lead_section_main", "乡科级正职", LEADING, "section_main", ("正科", "正乡", "科级正职")),
    ("lead_section_deputy", "乡科级副职", LEADING, "section_deputy", ("副科", "副乡", "科级副职")),
    ("grade_inspector_1", "一级巡视员", GRADE, "bureau_main", ()),
    ("grade_inspector_2", "二级巡视员", GRADE, "bureau_deputy", ()),
    ("grade_researcher_1", "一级调研员", GRADE, "county_main", ()),
    ("grade_researcher_2", "二级调研员", GRADE, "county_main", ()),
    ("grade_researcher_3", "三级调研员", GRADE, "county_deputy", ()),
    ("grade_researcher_4", "四级调研员", GRADE, "county_deputy", ()),
    ("grade_principal_1", "一级主任科员", GRADE, "section_main", ()),
    ("grade_principal_2", "二级主任科员", GRADE, "section_main", ()),
    ("grade_principal_3", "三级主任科员", GRADE, "section_deputy", ()),
    ("grade_principal_4", "四级主任科员", GRADE, "section_deputy", ()),
    ("grade_clerk_1", "一级科员", GRADE, "general", ("科员",)),
    ("grade_clerk_2", "二级科员", GRADE, "general", ("办事员",)),
    ("grade_probation", "试用期", GRADE, "general", ("试用期人员", "见习期", "试用")),
    ("grade_unrated", "未定级", GRADE, "general", ("未定职级", "暂未定级")),
    ("general", "一般干部", OTHER, "general", ("一般", "一般工作人员", "无")),
]
# 管理岗位 一级至十级: 一级/二级 ≈ 省部级 (above the ladder here: left for the administrator),
# 三级 ≈ 厅局级正职 … 七级 ≈ 乡科级正职, 八级 ≈ 乡科级副职, 九级/十级 ≈ 科员/办事员.
_MANAGEMENT_LEVELS = [
    "",
    "",
    "bureau_main",
    "bureau_deputy",
    "county_main",
    "county_deputy",
    "section_main",
    "section_deputy",
    "general",
    "general",
]
_DEFAULTS += [
    (f"mgmt_{n}", f"管理{cn_number(n)}级", MANAGEMENT, level, (f"管理岗位{cn_number(n)}级",))
    for n, level in enumerate(_MANAGEMENT_LEVELS, start=1)
]
# 专业技术岗位 一级至十三级 (正高 1–4, 副高 5–7, 中级 8–10, 初级 11–13): not leadership posts, so
# the 条例's tier for them is 一般干部 by default.
_PRO_GROUPS = {1: "正高", 5: "副高", 8: "中级", 11: "初级"}
_DEFAULTS += [
    (f"pro_{n}", f"专技{cn_number(n)}级", PROFESSIONAL, "general", (f"专业技术{cn_number(n)}级",))
    for n in range(1, 14)
]
_DEFAULTS += [
    (f"worker_{n}", f"技术工{cn_number(n)}级", WORKER, "general", (f"工勤{cn_number(n)}级",))
    for n in range(1, 6)
]
_DEFAULTS += [("worker_general", "普通工", WORKER, "general", ("工勤普通工", "普通工岗位"))]


def professional_group(code: str) -> str:
    """专技七级 → 副高 (for lists and statistics)."""
    if not code.startswith("pro_"):
        return ""
    n = int(code[4:])
    return next(g for start, g in sorted(_PRO_GROUPS.items(), reverse=True) if n >= start)


def default_ranks() -> list[dict]:
    return [
        {
            "code": code,
            "name": name,
            "system": system,
            "level": level,
            "synonyms": "、".join(words),
            "sort": i * 10,
        }
        for i, (code, name, system, level, words) in enumerate(_DEFAULTS, start=1)
    ]


# --- personnel categories (人员类别 / 身份) --------------------------------------------------

DEFAULT_PERSONNEL_CATEGORIES = [
    ("civil_servant", "公务员", ("公务员（行政编）", "行政编", "行政", "行政编制", "civilservant")),
    (
        "reference",
        "参照公务员法管理人员",
        ("参公", "参公人员", "参照管理", "参照公务员管理", "参公管理", "参公编"),
    ),
    (
        "institution",
        "事业单位人员",
        (
            "事业",
            "事业编",
            "事业编制",
            "事业人员",
            "事业单位",
            "事业单位管理岗位",
            "事业单位专业技术岗位",
            "事业单位工勤技能岗位",
            "publicinstitution",
        ),
    ),
    ("soe", "国有企业管理人员", ("国企", "国有企业", "国企管理人员", "企业")),
    ("village", "村（社区）干部", ("村干部", "社区干部", "村社区干部", "村(社区)干部")),
    ("other", "其他", ("其它",)),
]


def default_personnel_categories() -> list[dict]:
    return [
        {"code": code, "name": name, "synonyms": "、".join(words), "sort": i * 10}
        for i, (code, name, words) in enumerate(DEFAULT_PERSONNEL_CATEGORIES, start=1)
    ]


# --- the lookup key -------------------------------------------------------------------------

_ARABIC = re.compile(r"\d+")
_NOISE = re.compile(r"[()（）\[\]【】\s·]")


def rank_key(value: str) -> str:
    """管理８级, '管理岗位8级 ', 专业技术岗十级 and 乡科级正职 all reduce to one key per rank.

    Full width folded, spaces and brackets out, Arabic numbers as Chinese, 岗位/岗/职级/级别 words
    and the 级 of the leading-post ranks removed, English lower-cased."""
    text = unicodedata.normalize("NFKC", str(value)).lower()
    text = _NOISE.sub("", text)
    text = _ARABIC.sub(lambda m: cn_number(int(m[0])) if 1 <= int(m[0]) <= 13 else m[0], text)
    text = text.replace("专业技术", "专技").replace("岗位", "").replace("岗", "")
    text = text.replace("领导", "").replace("职务", "")
    if text.endswith("级") and text[:-1].endswith(("正", "副", "厅", "局", "处", "县", "科", "乡")):
        text = text[:-1]  # 正科级 = 正科, 乡科级 正职 handled below
    return text.replace("级正职", "正职").replace("级副职", "副职")


def category_key(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).lower()
    return "".join(text.split()).replace("(", "（").replace(")", "）")
