"""Charts that read (static/ganxun/charts.js): many units become horizontal bars one row each,
a single month shows its number, no data says so — measured in the browser, not assumed."""

import pytest

from ganxun.core.scoping import unscoped
from ganxun.orgs.models import Cadre
from ganxun.programs.models import Program
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, CadreFactory, make_org
from tests.programs.factories import enroll
from tests.stats import dataset

DRAW = """([id, spec]) => {
  const box = document.createElement("div");
  box.id = id; box.style.width = "600px"; box.style.height = "320px";
  document.querySelector("main").append(box);
  window.gxChart.category(id, spec);
  const chart = window.echarts.getInstanceByDom(box);
  return {state: box.dataset.chartState, text: box.innerText, height: box.offsetHeight,
          canvas: box.querySelectorAll("canvas").length,
          yType: chart ? chart.getOption().yAxis[0].type : null};
}"""


@pytest.mark.django_db(transaction=True)
def test_forty_units_read_as_horizontal_bars_one_row_each(city, admin, desktop, live_server):
    # given a county with 40 towns, each with a trainee in the county's 2030 program
    dataset.build(city, admin)
    towns = [
        make_org(city.county_a, name=f"第{n}镇", level="township", code=f"3302019{n:02d}")
        for n in range(38)
    ]
    with unscoped():
        program = Program.objects.get(org=city.county_a, start_date__year=2030)
    enroll(program, [CadreFactory(unit=t, rank=Cadre.Rank.GENERAL) for t in towns])
    sign_in(desktop, live_server, admin.username, PASSWORD)
    # when the admin opens the county's 2030 dashboard
    desktop.goto(f"{live_server.url}/stats/?org={city.county_a.pk}&year=2030")
    box = desktop.locator("#chart-units")
    box.locator("canvas").wait_for()
    # then the units are rows of a horizontal chart, tall enough for 40 labels of 28 px
    assert box.get_attribute("data-chart-state") == "horizontal"
    assert box.bounding_box()["height"] >= 40 * 28
    y_type = desktop.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-units'))"
        ".getOption().yAxis[0].type"
    )
    assert y_type == "category"


@pytest.mark.django_db(transaction=True)
def test_one_point_shows_its_number_and_no_data_says_so(city, admin, desktop, live_server):
    sign_in(desktop, live_server, admin.username, PASSWORD)
    desktop.goto(f"{live_server.url}/stats/")
    desktop.wait_for_function("() => window.gxChart && window.echarts")
    one_month = desktop.evaluate(
        DRAW,
        [
            "c1",
            {
                "labels": ["2030-03"],
                "series": [{"name": "平均分", "type": "line", "data": [4.6]}],
            },
        ],
    )
    assert one_month["state"] == "single" and one_month["canvas"] == 0
    assert "4.6" in one_month["text"] and "2030-03" in one_month["text"]
    empty = desktop.evaluate(DRAW, ["c2", {"labels": [], "series": [{"name": "x", "data": []}]}])
    assert empty["state"] == "empty" and "暂无数据" in empty["text"]
    few = desktop.evaluate(
        DRAW,
        [
            "c3",
            {
                "labels": ["东江县", "西山区", "北仑区"],
                "series": [{"name": "人次", "type": "bar", "data": [3, 1, 2]}],
            },
        ],
    )
    assert few["state"] == "vertical" and few["canvas"] == 1 and few["yType"] == "value"
