"""A program's full name as the office wrote it: the cohort is added once, never doubled."""

import pytest

from ganxun.programs.models import Program


@pytest.mark.parametrize(
    "name, brand, cohort, shown",
    [
        ("周末知行学堂第2期", "周末知行学堂", 2, "周末知行学堂第2期"),
        ("周末知行学堂", "周末知行学堂", 2, "周末知行学堂第2期"),
        ("周末知行学堂第二期", "", 2, "周末知行学堂第二期"),
        ("中青年干部培训班第十二期", "", 12, "中青年干部培训班第十二期"),
        ("中青年干部培训班第02期", "", 2, "中青年干部培训班第02期"),
        ("乡镇党委书记班", "", None, "乡镇党委书记班"),
        ("第1期乡村振兴专题班", "", 12, "第1期乡村振兴专题班第12期"),
        ("年轻干部班", "之江讲堂", 3, "之江讲堂·年轻干部班第3期"),
    ],
)
def test_the_cohort_is_named_once(name, brand, cohort, shown):
    assert Program(name=name, brand=brand, cohort=cohort).full_name == shown
