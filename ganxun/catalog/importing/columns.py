"""The words offices use for the columns and values of course and faculty spreadsheets.

The first word of each column is the canonical header, used by the export and the template, so
an exported file imports back unchanged.
"""

from ganxun.catalog.models import Course, Lecturer, TeachingForm

COURSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("课程名称", "课程", "课程题目", "课题名称", "题目"),
    "theme": ("专题", "专题单元", "单元", "主题"),
    "form": ("教学形式", "形式", "授课形式", "教学方式", "授课方式"),
    "hours": ("学时", "课时", "学时数"),
    "lecturers": ("主讲人", "授课教师", "主讲", "授课人", "教师"),
    "target_ranks": ("面向职级", "对象职级", "适用职级"),
    "target_categories": ("面向人员类别", "人员类别", "适用对象", "培训对象"),
    "summary": ("课程简介", "简介", "内容简介", "课程内容", "内容提要"),
    "status": ("状态", "课程状态"),
}

LECTURER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "教师姓名", "师资姓名"),
    "kind": ("类型", "师资类型", "类别", "师资类别"),
    "affiliation": ("工作单位", "单位", "所在单位"),
    "title": ("职务/职称", "职务", "职称", "职务职称"),
    "specialties": ("专长领域", "专长", "研究方向", "擅长领域", "授课方向"),
    "is_external": ("内部/外聘", "是否外聘", "外聘"),
    "phone": ("联系电话", "手机", "电话", "手机号码"),
    "availability": ("可授课时间", "授课时间"),
    "bio": ("简介", "个人简介"),
    "is_active": ("在库", "是否在库"),
    "id_number": ("身份证号", "公民身份号码", "身份证号码"),
}


def _words(choices, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {str(label): value for value, label in choices}
    out.update({word: value for value, words in extra.items() for word in words})
    return out


FORM_WORDS = _words(
    TeachingForm.choices,
    {
        TeachingForm.LECTURE: ("讲座", "讲授", "专题辅导", "辅导报告", "报告"),
        TeachingForm.CASE: ("案例", "案例式", "案例分析", "案例式教学"),
        TeachingForm.SEMINAR: ("研讨", "研讨式教学", "专题研讨", "分组研讨"),
        TeachingForm.SITE_VISIT: ("现场教学", "观摩", "现场观摩", "参观教学", "观摩式", "体验式"),
        TeachingForm.SIMULATION: ("模拟", "情景教学"),
        TeachingForm.OUTDOOR: ("拓展训练", "拓展"),
        TeachingForm.WORKSHOP: ("工作坊",),
        TeachingForm.ACTION_LEARNING: ("行动学习", "课题任务", "课题式"),
        TeachingForm.ONLINE: ("线上", "网络", "视频课程", "在线"),
        TeachingForm.READING: ("读书", "读书会"),
        TeachingForm.PRACTICE: ("实践", "挂职"),
    },
)
COURSE_STATUS_WORDS = _words(
    Course.Status.choices,
    {Course.Status.PUBLISHED: ("发布",), Course.Status.RETIRED: ("停用",)},
)
KIND_WORDS = _words(
    Lecturer.Kind.choices,
    {
        Lecturer.Kind.LEADER: ("领导干部", "市领导", "县领导", "市县领导"),
        Lecturer.Kind.DEPT_HEAD: ("一把手", "部门负责人", "部门主要负责人"),
        Lecturer.Kind.PARTY_SCHOOL: ("党校", "党校老师"),
        Lecturer.Kind.SCHOLAR: ("专家", "学者", "教授"),
        Lecturer.Kind.ENTREPRENEUR: ("企业", "企业负责人"),
        Lecturer.Kind.MODEL: ("典型", "劳模", "先进人物"),
    },
)
EXTERNAL_WORDS = {"外聘": True, "是": True, "外部": True, "内部": False, "否": False, "本地": False}
ACTIVE_WORDS = {"是": True, "在库": True, "否": False, "不在库": False, "停用": False}
