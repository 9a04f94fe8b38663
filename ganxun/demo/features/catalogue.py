"""The catalogue: four themes, a dozen lecturers, twenty-odd published courses, teaching
points, training bases and books — all the city's own (owned by the city, shared down to
every county and township), entered by the demo ``admin``."""

from dataclasses import dataclass

from ganxun.catalog.models import Course, Lecturer, Material, TeachingForm, Theme
from ganxun.catalog.models.resources import SITE_KINDS
from ganxun.catalog.services import (
    BaseData,
    CourseData,
    LecturerData,
    MaterialData,
    SiteData,
    base_create,
    course_create,
    lecturer_create,
    material_create,
    site_create,
    theme_save,
)
from ganxun.orgs.models import Cadre, Org

K = Lecturer.Kind
F = TeachingForm

# Lüliang's four colours: 理想信念 red, 经济建设 green, 社会治理 blue, 综合能力 gold.
THEMES = [
    ("理想信念", "#c0392b", "党性教育、党史学习、廉洁自律"),
    ("经济建设", "#2e8b57", "数字化改革、产业发展、共同富裕"),
    ("社会治理", "#2f6fb5", "基层治理、矛盾化解、依法行政"),
    ("综合能力", "#d4a017", "调查研究、应急处突、沟通协调"),
]

# key: (name, kind, affiliation, title, specialties, external). Names of lecturers who are
# cadres of the demo city come from its roster ("*" rows, filled in by build_catalogue).
LECTURERS = {
    "school": ("*", K.PARTY_SCHOOL, "市委党校", "", "党的创新理论、党史党建", False),
    "zhou": ("周文清", K.PARTY_SCHOOL, "市委党校", "党史党建教研室主任", "党史、红色文化", False),
    "shen": ("沈立群", K.PARTY_SCHOOL, "市委党校", "公共管理教研室副教授", "基层治理", False),
    "county": ("*", K.LEADER, "", "县委书记", "共同富裕、乡村振兴", False),
    "emergency": ("*", K.DEPT_HEAD, "市应急管理局", "局长", "应急管理、安全生产", False),
    "commerce": ("*", K.DEPT_HEAD, "市商务局", "局长", "招商引资、开放型经济", False),
    "xu": ("徐承志", K.SCHOLAR, "浙江大学公共管理学院", "教授", "数字政府、公共政策", True),
    "lin": ("林慧敏", K.SCHOLAR, "省委党校", "教授", "法治政府、行政复议", True),
    "shao": ("邵建华", K.ENTREPRENEUR, "甬江智造集团", "董事长", "民营经济、智能制造", True),
    "yu": ("俞秀兰", K.MODEL, "东海村", "村党委书记", "村级治理、共同富裕", True),
    "he": ("何志远", K.OTHER, "甬江明理律师事务所", "主任律师", "矛盾调解、信访法治", True),
    "ye": ("叶晓峰", K.OTHER, "市拓展训练中心", "高级培训师", "团队协作", True),
}

# (title, theme index, form, hours, lecturer keys)
COURSES = [
    ("红色家书中的初心使命", 0, F.LECTURE, 3, ["zhou"]),
    ("党的创新理论的核心要义", 0, F.LECTURE, 3, ["school"]),
    ("重温入党誓词：革命纪念馆现场教学", 0, F.SITE_VISIT, 4, ["zhou"]),
    ("以案为鉴：廉洁从政警示教育", 0, F.CASE, 3, ["school"]),
    ("读懂《之江新语》", 0, F.READING, 3, ["school", "zhou"]),
    ("数字化改革的实践路径", 1, F.LECTURE, 3, ["xu"]),
    ("招商引资与项目推进实务", 1, F.CASE, 3, ["commerce"]),
    ("共同富裕的基层探索", 1, F.SEMINAR, 3, ["county", "yu"]),
    ("民营经济高质量发展面对面", 1, F.SEMINAR, 3, ["shao"]),
    ("乡村产业振兴案例研讨", 1, F.CASE, 3, ["yu"]),
    ("基层矛盾纠纷化解案例研讨", 2, F.CASE, 3, ["he", "shen"]),
    ("新时代“枫桥经验”的实践与创新", 2, F.LECTURE, 3, ["shen"]),
    ("网格化治理现场观摩", 2, F.SITE_VISIT, 4, ["shen"]),
    ("突发事件舆情应对情景模拟", 2, F.SIMULATION, 4, ["xu"]),
    ("依法行政与行政复议实务", 2, F.LECTURE, 3, ["lin"]),
    ("风险防范与应急处置", 3, F.SIMULATION, 4, ["emergency"]),
    ("调查研究的方法与技巧", 3, F.WORKSHOP, 3, ["school"]),
    ("公文写作与政务信息", 3, F.LECTURE, 3, ["shen"]),
    ("领导干部的沟通与协调艺术", 3, F.WORKSHOP, 3, ["lin"]),
    ("团队拓展：协作与执行力", 3, F.OUTDOOR, 4, ["ye"]),
    ("数字化履职能力提升", 3, F.ONLINE, 2, ["xu"]),
    ("课题攻关：一件难事的破解", 3, F.ACTION_LEARNING, 6, ["county", "shen"]),
]

SITES = {
    "红色教育": (
        "甬江革命烈士纪念馆",
        "甬江市江北区烈士路 1 号",
        200,
        "革命先烈事迹陈列、入党宣誓",
    ),
    "基层治理": ("东海村“三治融合”展示馆", "东海村村委会", 60, "村规民约、网格化管理、议事会"),
    "廉政教育": ("甬江市廉政教育基地", "甬江市海曙区清风路 8 号", 120, "警示案例展陈、庭审旁听"),
    "转型发展": ("甬江智造产业园", "甬江经济技术开发区", 80, "数字工厂、产业链招商成果"),
}

BOOKS = [
    ("之江新语", "习近平", "浙江人民出版社", 2007),
    ("习近平谈治国理政（第四卷）", "习近平", "外文出版社", 2022),
    ("干部教育培训工作条例学习问答", "本书编写组", "党建读物出版社", 2023),
    ("“枫桥经验”的时代内涵与实践", "本书编写组", "法律出版社", 2023),
    ("数字政府建设案例选编", "本书编写组", "人民出版社", 2022),
    ("应急管理干部读本", "本书编写组", "应急管理出版社", 2021),
]


@dataclass
class Catalogue:
    themes: list[Theme]
    lecturers: dict[str, Lecturer]
    courses: list[Course]


def _roster_lecturers(users, city: Org) -> dict[str, Cadre]:
    """The lecturers who are cadres of the demo city: the ``lecturer`` account's own cadre (so
    that account sees its teaching), the secretary of the trainee's county, two bureau heads."""
    county = Org.objects.get(pk=users["trainee"].cadre.unit.ancestor_ids[1])
    heads = {
        c.unit.name: c
        for c in Cadre.objects.filter(
            unit__parent=city, unit__name__in=["市应急管理局", "市商务局"], leader_role="head"
        ).select_related("unit")
    }
    secretary = Cadre.objects.get(unit=county, leader_role="secretary")
    return {
        "school": users["lecturer"].cadre,
        "county": secretary,
        "emergency": heads["市应急管理局"],
        "commerce": heads["市商务局"],
    }


def build_catalogue(users, rng) -> Catalogue:
    admin = users["admin"]
    city = admin.org
    themes = [
        theme_save(actor=admin, theme=None, name=n, color=c, sort=i + 1, description=d)
        for i, (n, c, d) in enumerate(THEMES)
    ]
    cadres = _roster_lecturers(users, city)
    lecturers = {}
    for key, (name, kind, affiliation, title, specialties, external) in LECTURERS.items():
        cadre = cadres.get(key)
        if cadre is not None:
            name = cadre.name
            affiliation = affiliation or cadre.unit.name.removesuffix("委")
            title = cadre.position or title
        lecturers[key] = lecturer_create(
            actor=admin,
            data=LecturerData(
                name=name,
                kind=kind,
                affiliation=affiliation,
                title=title,
                specialties=specialties,
                is_external=external,
                phone=f"0574-8{rng.randrange(10**6, 10**7)}" if external else "",
                availability="周六全天" if rng.random() < 0.5 else "工作日下午、周六上午",
                cadre=cadre,
            ),
        )
    books = [
        material_create(
            actor=admin,
            data=MaterialData(
                kind=Material.Kind.BOOK,
                title=title,
                authors=authors,
                publisher=publisher,
                year=year,
                themes=[themes[i % len(themes)]],
            ),
        )
        for i, (title, authors, publisher, year) in enumerate(BOOKS)
    ]
    courses = []
    for i, (title, theme, form, hours, keys) in enumerate(COURSES):
        courses.append(
            course_create(
                actor=admin,
                data=CourseData(
                    title=title,
                    form=form,
                    hours=hours,
                    theme=themes[theme],
                    summary=f"{THEMES[theme][0]}专题课程，{F(form).label}，{hours} 学时。",
                    target_ranks=["section_main", "section_deputy", "general"],
                    lecturers=[lecturers[k] for k in keys],
                    materials=[books[i % len(books)]] if i % 3 == 0 else [],
                    status=Course.Status.PUBLISHED,
                ),
            )
        )
    for kind in SITE_KINDS:
        name, address, capacity, highlights = SITES[kind]
        site_create(
            actor=admin,
            data=SiteData(
                name=name,
                kind=kind,
                address=address,
                capacity=capacity,
                contact_name=rng.choice(["王老师", "陈老师", "李老师", "张老师"]),
                contact_phone=f"0574-8{rng.randrange(10**6, 10**7)}",
                highlights=highlights,
            ),
        )
    base_create(
        actor=admin,
        data=BaseData(
            name="市委党校主校区",
            in_region=True,
            location="甬江市鄞州区学府路 18 号",
            capacity=300,
            note="主课堂、视频会议系统、学员宿舍 150 间",
            courses=courses[:5],
        ),
    )
    base_create(
        actor=admin,
        data=BaseData(
            name="杭州城市治理现代化教学基地",
            in_region=False,
            partner="浙江大学公共管理学院",
            location="杭州市西湖区",
            capacity=120,
            note="域外培训：高校专家授课与城市大脑现场教学相结合",
            courses=[c for c in courses if c.theme_id == themes[2].pk][:3],
        ),
    )
    return Catalogue(themes=themes, lecturers=lecturers, courses=courses)
