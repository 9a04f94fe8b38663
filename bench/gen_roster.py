"""A realistic 干部花名册 for the import benchmark: N rows × the 12 canonical columns.

The unit tree it refers to (a city, 10 counties, 15 towns each, 5 villages per town: 910 units)
is described by ``unit_tree()`` so the benchmark can create it before importing. Dates are real
Excel dates, ID numbers text, a merged title row sits above the header, as offices send them.

    .venv/bin/python bench/gen_roster.py var/bench-roster.xlsx --rows 100000
"""

import argparse
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

HEADERS = ["姓名", "性别", "身份证号", "出生年月", "单位", "职务", "职级", "人员类别", "班子角色"]
HEADERS += ["手机", "状态", "备注"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红海波宇浩晨"
SYLLABLES = "东西南北中上下前后新长安永丰和平金石青山湖江河溪桥岭塘港林峰川源田坪岗坝"
POSITIONS = ["党委书记", "镇长", "副镇长", "党政办主任", "科员", "村主任", "组织委员", "纪委书记"]
RANKS = ["正科", "副科", "一级主任科员", "四级主任科员", "科员", "乡科级正职", "一般干部"]
CATEGORIES = [("young", "年轻干部"), ("reserve", "后备干部"), ("village", "村社区干部")]
ROOT_CODE, ROOT_NAME = "B0", "甬江市"
ADDRESS = "330201"


def place(i: int, width: int = 2) -> str:
    """A distinct two-character place name per i (up to 1,600)."""
    n = len(SYLLABLES)
    return (
        SYLLABLES[i % n] + SYLLABLES[(i // n) % n] + ("" if width == 2 else SYLLABLES[i // n // n])
    )


def unit_tree() -> list[tuple[str, str, str, str]]:
    """(code, name, level, parent code) for every unit under the root, parents first."""
    units, serial = [], 0
    for c in range(10):
        county = (f"{ROOT_CODE}C{c}", f"{place(serial)}县", "county", ROOT_CODE)
        units.append(county)
        serial += 1
        for t in range(15):
            town = (f"{county[0]}T{t}", f"{place(serial)}镇", "township", county[0])
            units.append(town)
            serial += 1
            for v in range(5):
                units.append((f"{town[0]}V{v}", f"{place(serial)}村", "village", town[0]))
                serial += 1
    return units


def id_number(i: int) -> tuple[str, date]:
    from ganxun.orgs.idcard import make_id_number

    born = date(1962, 1, 1) + timedelta(days=i % 14_000)
    sequence = (i // 14_000) * 2 + 1 + (i % 2)
    return make_id_number(ADDRESS, born, sequence), born


def rows(count: int, seed: int = 1):
    rng = random.Random(seed)
    names = [u[1] for u in unit_tree()]
    for i in range(count):
        idn, born = id_number(i)
        male = int(idn[16]) % 2 == 1
        yield [
            rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
            "男" if male else "女",
            idn,
            datetime(born.year, born.month, 1),
            rng.choice(names),
            rng.choice(POSITIONS),
            rng.choice(RANKS),
            rng.choice(["", "年轻干部", "后备干部、年轻干部", "村社区干部"]),
            rng.choice(["", "", "", "副职"]),
            f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}",
            "在职",
            rng.choice(["", "", "挂职"]),
        ]


def write(path: Path, count: int, seed: int = 1) -> Path:
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("干部花名册")
    month = book.add_format({"num_format": "yyyy.mm"})
    sheet.merge_range(0, 0, 0, len(HEADERS) - 1, f"{ROOT_NAME}干部花名册")
    for col, title in enumerate(HEADERS):
        sheet.write_string(1, col, title)
    for r, values in enumerate(rows(count, seed), start=2):
        for col, value in enumerate(values):
            if isinstance(value, datetime):
                sheet.write_datetime(r, col, value, month)
            else:
                sheet.write_string(r, col, value)
    book.close()
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.path, args.rows, args.seed)
    print(f"wrote {args.rows:,} rows to {args.path} ({args.path.stat().st_size / 1e6:.1f} MB)")
