"""Opening trainee accounts in bulk: a background job that ends in a credentials workbook."""

from urllib.parse import urlencode

import xlsxwriter
from django.urls import reverse
from django.utils.translation import gettext as _

from ganxun.accounts.models import User
from ganxun.accounts.services import generate_password, trainee_account_create
from ganxun.core.exports import stamp_workbook
from ganxun.core.jobs import job_handler, job_result_link, job_result_path, job_start
from ganxun.orgs.forms import cadre_filters
from ganxun.orgs.models import Cadre
from ganxun.orgs.selectors import cadre_search

KIND = "trainee_accounts"


def trainee_accounts_start(*, actor, params: dict):
    return job_start(actor=actor, kind=KIND, title="批量开通学员账号", params=params)


@job_handler(KIND)
def run_trainee_accounts(job, progress) -> dict:
    actor = job.actor
    cadres = (
        cadre_search(actor, cadre_filters(actor, job.params))
        .filter(status=Cadre.Status.ACTIVE, account__isnull=True)
        .order_by("unit__path", "name", "id")
    )
    todo = list(cadres)
    progress.start(len(todo), "正在开通账号…")
    issued = []
    for done, cadre in enumerate(todo, start=1):
        password = generate_password()
        user = trainee_account_create(actor=actor, cadre=cadre, password=password)
        if user is not None:
            issued.append((cadre, user, password))
        progress.advance(done)
    path = job_result_path(job, "trainee-accounts.xlsx")
    _write_credentials(path, issued, actor)
    job.result_file = str(path)
    job.message = f"已开通 {len(issued)} 个学员账号。首次登录须修改密码。"
    return {"created": len(issued)}


@job_result_link(KIND)
def trainee_accounts_link(job) -> tuple[str, str]:
    """The roster the job worked on, now listing the cadres who have an account."""
    query = {**job.params, "account": "yes"}
    return reverse("cadres:list") + "?" + urlencode(query), _("查看已开通账号的干部")


def _write_credentials(path, issued: list[tuple[Cadre, User, str]], actor) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("学员账号")
    bold = book.add_format({"bold": True})
    for col, title in enumerate(["姓名", "单位", "用户名", "初始密码", "说明"]):
        sheet.write_string(0, col, title, bold)
    for row, (cadre, user, password) in enumerate(issued, start=1):
        sheet.write_row(
            row,
            0,
            [
                cadre.name,
                cadre.unit.name,
                user.username,
                password,
                "也可用身份证号登录；首次登录须修改密码",
            ],
        )
    sheet.set_column(0, 4, 18)
    stamp_workbook(book, actor, what="学员账号及初始密码")
    book.close()
