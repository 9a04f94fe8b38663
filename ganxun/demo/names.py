"""Word lists for the demo city: surnames, given-name characters, place syllables, departments.

Everything here is data. The lists are fixed tuples so that one seed always draws the same
names; change a list and every seed's city changes with it.
"""

from itertools import accumulate


def _words(text: str) -> tuple[str, ...]:
    """Space-separated words: long lists of short Chinese words stay readable this way."""
    return tuple(text.split())


def _weighted(text: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """ "王 71 李 70 …" → (names, cumulative weights) ready for ``rng.choices(cum_weights=…)``."""
    parts = text.split()
    names = tuple(parts[0::2])
    weights = [int(w) for w in parts[1::2]]
    return names, tuple(accumulate(weights))


# Weights are roughly per-mille shares of the national population, so 王/李/张 dominate.
SURNAMES, SURNAME_CUM_WEIGHTS = _weighted("""
    王 71 李 70 张 67 刘 54 陈 46 杨 31 黄 22 赵 20 吴 20 周 19 徐 15 孙 15 马 13 朱 12
    胡 12 郭 11 何 11 林 10 高 10 罗 9 郑 9 梁 8 谢 7 宋 6 唐 6 许 6 韩 5 冯 5 邓 5 曹 5
    彭 5 曾 5 肖 5 田 4 董 4 袁 4 潘 4 于 4 蒋 4 蔡 4 余 4 杜 4 叶 4 程 4 苏 3 魏 3 吕 3
    丁 3 任 3 沈 3 姚 3 卢 3 姜 3 崔 3 钟 3 谭 3 陆 3 汪 3 范 3 金 3 石 3 廖 3 贾 2 夏 2
    韦 2 付 2 方 2 白 2 邹 2 孟 2 熊 2 秦 2 邱 2 江 2 尹 2 薛 2 闫 2 段 2 雷 2 侯 2 龙 2
    史 2 陶 2 黎 2 贺 2 顾 2 毛 2 郝 2 龚 2 邵 2 万 2 钱 2 严 2 覃 1 武 1 戴 1 莫 1 孔 1
    向 1 汤 1 应 1 竺 1 欧阳 1
""")

MALE_CHARS = tuple(
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰建国新文志海东晨阳毅坤博成康"
    "星光天达安岩中茂进荣乐振清森永庆伦彬富顺信德兴昌瑞祥先民亮政泽锋晖源卫雷义忠立胜良"
)
FEMALE_CHARS = tuple(
    "芳娜敏静丽艳娟霞秀燕玲婷雪慧莉萍红琳洁颖倩琴云梅兰英丹晶月莹佳悦欣怡蕾薇璐瑶露蓉婕菲"
    "珊嘉思雨晓楠欢璇青凤玉彤岚妍媛萱春冰虹"
)
# Characters that lead a two-character given name for either sex (晓明, 晓燕; 子涵, 子强).
SHARED_FIRST_CHARS = tuple("晓小子文永建海春思嘉家志立一雅新宏")

# 11-digit mainland mobile numbers start with one of these three-digit prefixes.
PHONE_PREFIXES = _words(
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "180 181 182 183 184 185 186 187 188 189"
)

# --- places ------------------------------------------------------------------------------------

CITY_NAME = "甬江市"
CITY_CODE = "330200"

# (name, kind): a 区 is urban (mostly 街道), a 县 rural (mostly 镇 and 乡). The first is a 县 so the
# demo township contact and trainee sit in an ordinary 镇.
COUNTIES = (
    ("东江县", "county"),
    ("甬东区", "district"),
    ("海澄区", "district"),
    ("江滨区", "district"),
    ("湖西区", "district"),
    ("西岭县", "county"),
    ("南屿县", "county"),
    ("象岩县", "county"),
    ("梅溪县", "county"),
    ("云台县", "county"),
)

PLACE_FIRST = tuple(
    "东西南北中上下新古大小青白金石龙凤云梅桃柳松竹兰桂花溪江湖海山泉河沙黄红长高平安永兴福庆"
    "丰宁和太明华秀清三双九望鹤象马鸣葛章杨横塘岩樟茶莲荷鹿峙钱"
)
PLACE_SECOND = tuple("山湖溪桥岭港塘浦岙林峰川源口田坪岗坝河渡湾洲阳水亭门关庄塔园头埠里店城堰墩")
COMMUNITY_WORDS = _words(
    "阳光 幸福 和平 解放 振兴 新华 锦绣 翠苑 文昌 春晖 惠民 朝阳 丽景 金色 紫薇 白云 "
    "绿洲 明珠 东方 南苑 北苑 西城 学府 长春 康乐 安居 滨江 望湖 双桥 芙蓉 丹桂 银杏 "
    "泰和 永安 兴隆 富民 荷花 凤凰 百合 鼓楼 红旗 育才 新村 天一 樱花 松林 怡景 海晏"
)

# --- departments ---------------------------------------------------------------------------------

# About 30 departments of the city (市直部门), in the usual order of a government directory.
CITY_DEPARTMENTS = _words(
    "市委办公室 市纪委监委 市委组织部 市委宣传部 市委统战部 市委政法委 市委党校 市委编办 "
    "市政府办公室 市发展改革委 市经信局 市教育局 市科技局 市公安局 市民政局 市司法局 市财政局 "
    "市人力社保局 市自然资源规划局 市生态环境局 市住房城乡建设局 市交通运输局 市水利局 "
    "市农业农村局 市商务局 市文化广电旅游局 市卫生健康委 市应急管理局 市市场监管局 市统计局"
)

# County departments are "<county name><suffix>": 东江县委组织部, 东江县财政局. Every county has
# the first group (party office, organisation, party school, finance…); a random draw from the
# second completes 12–15.
COUNTY_DEPARTMENTS_ALWAYS = _words("委办公室 纪委监委 委组织部 委宣传部 委党校 政府办公室 财政局")
COUNTY_DEPARTMENTS_SOME = _words(
    "委统战部 委政法委 发展改革局 经信局 教育局 公安局 民政局 人力社保局 自然资源和规划局 "
    "住房城乡建设局 交通运输局 农业农村局 卫生健康局 市场监管局 应急管理局 文化和广电旅游体育局 "
    "商务局 水利局"
)
COUNTY_DEPARTMENT_COUNT = (12, 15)

# --- posts ---------------------------------------------------------------------------------------

# Deputies in the order a leadership team lists them; "{s}" is 县 or 区 for a county.
CITY_DEPUTIES = ("市委副书记", "常务副市长", "副市长", "市委常委", "副市长", "市委常委")
COUNTY_DEPUTIES = ("{s}委副书记", "常务副{s}长", "副{s}长", "{s}委常委", "副{s}长", "{s}委常委")
TOWN_DEPUTIES = ("党委副书记", "副{s}长", "人大主席", "纪委书记", "副{s}长", "组织委员")
STREET_DEPUTIES = (
    "党工委副书记",
    "办事处副主任",
    "纪工委书记",
    "办事处副主任",
    "人大工委主任",
    "武装部长",
)

# Staff profiles: (rank, weight, positions). The rank codes are Cadre.Rank values.
STAFF_PROFILES = {
    "city_dept": (
        ("general", 62, ("科员", "一级科员", "二级主任科员", "四级主任科员")),
        ("section_deputy", 14, ("副科长",)),
        ("section_main", 17, ("科长",)),
        ("county_deputy", 7, ("三级调研员", "二级调研员")),
    ),
    "party_school": (
        ("general", 60, ("讲师", "助教", "科员")),
        ("section_deputy", 15, ("副教授", "教研室副主任")),
        ("section_main", 20, ("教授", "教研室主任", "教务处处长")),
        ("county_deputy", 5, ("二级调研员",)),
    ),
    "county_dept": (
        ("general", 80, ("科员", "一级科员", "办事员", "四级主任科员")),
        ("section_deputy", 12, ("股长", "二级主任科员")),
        ("section_main", 8, ("一级主任科员", "四级调研员")),
    ),
    "township": (
        (
            "general",
            90,
            (
                "科员",
                "办事员",
                "党政办科员",
                "经济发展办科员",
                "社会事务办科员",
                "农业农村办科员",
                "综合行政执法队员",
                "便民服务中心科员",
            ),
        ),
        ("section_deputy", 7, ("四级主任科员", "站所长")),
        ("section_main", 3, ("四级调研员",)),
    ),
    "village": (
        (
            "general",
            100,
            ("村委委员", "村支委委员", "村监委会主任", "村文书", "妇女主任", "报账员"),
        ),
    ),
    "community": (
        ("general", 100, ("社区居委会委员", "社区工作者", "网格员", "社区党委委员", "妇女主任")),
    ),
}
# Teaching posts at a party school: the demo lecturer is drawn from cadres holding one.
TEACHING_POSITIONS = ("教授", "副教授", "讲师", "教研室主任")
ALWAYS_FEMALE_POSITIONS = ("妇女主任",)
