"""Cleaning free-text need statements before they are clustered. Pure functions, no Django.

Real answers arrive with emoji, full-width characters, the same sentence pasted many times,
placeholders such as “无”, and now and then a line of English. Each is either repaired or set
aside with a reason code the pages and the CLI can explain.
"""

import re
import unicodedata

# Reason codes for statements that are not clustered, with the message shown to people.
SKIP_REASONS = {
    "empty": "空白回答",
    "symbols_only": "只有表情或符号",
    "too_short": "内容过短（少于两个汉字）",
    "no_content": "无实际内容（如“无”“没有”）",
    "not_chinese": "非中文内容",
    "duplicate": "同一答卷重复的内容（只计一次）",
}

# Answers that say "nothing to add" in the ways people actually write it.
PLACEHOLDERS = {
    "无",
    "没有",
    "暂无",
    "暂时没有",
    "无意见",
    "没意见",
    "无建议",
    "没有建议",
    "暂无建议",
    "无需求",
    "没有需求",
    "暂无需求",
    "都可以",
    "都行",
    "均可",
    "不知道",
    "不清楚",
    "无所谓",
    "同上",
    "略",
    "没什么",
    "没啥",
    "还没想好",
    "好",
    "很好",
    "挺好",
    "满意",
    "没有了",
    "无其他",
    "无其他建议",
    "其他",
    "没有其他",
    "没有其他意见",
    "没有其他需求",
    "谢谢",
    "测试",
}

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_SPACES = re.compile(r"\s+")
_SEPARATORS = "\\s，,。.；;、！!？?"
_REPEATED = re.compile(rf"^(.{{2,}}?)(?:[{_SEPARATORS}]*\1)+[{_SEPARATORS}]*$")
_TRIM = "\"'“”‘’「」『』()（）[]【】<>《》" + "，,。.；;、！!？?：:~～-—_ "
# Splits a long answer into its needs: line breaks, full stops, semicolons and list markers
# such as “1.”, “2、”, “（3）”, “④”. Commas stay: “台风来时，怎么转移群众” is one need.
_SPLIT = re.compile(
    r"[\n\r。；;！!？?]+|(?:^|\s)(?:\d{1,2}|[一二三四五六七八九十]{1,2})[.、．)）]|[（(]\d{1,2}[)）]|[①-⑳]"
)


def _keep_char(ch: str) -> str:
    """Letters and digits in their plain form (Ｅｘｃｅｌ → Excel), Chinese punctuation as typed;
    emoji, symbols and invisible marks become spaces."""
    category = unicodedata.category(ch)
    if category[0] in "LN":
        return unicodedata.normalize("NFKC", ch)
    if category[0] == "P":
        return ch
    return " "


def normalise(text: str) -> str:
    """Letters to plain width, emoji out, spaces collapsed, a pasted repetition folded to one."""
    text = "".join(_keep_char(ch) for ch in text or "")
    text = _SPACES.sub(" ", text).strip().strip(_TRIM)
    match = _REPEATED.match(text)
    if match:
        text = match.group(1).strip(_TRIM)
    return text


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def skip_reason(text: str, known_terms: frozenset[str] = frozenset()) -> str | None:
    """Why a normalised statement should not be clustered, or None when it should.

    ``known_terms`` rescues short answers that are real needs in any script (“PPT”, “AI”,
    “Excel”): only statements that match no known term are refused as too short or not Chinese.
    """
    if not text:
        return "empty"
    bare = text.strip(_TRIM)
    if not bare:
        return "empty"
    if bare in PLACEHOLDERS:
        return "no_content"
    if bare.lower() in known_terms:
        return None
    chinese = cjk_count(bare)
    if chinese == 0:
        return "not_chinese" if _LATIN.search(bare) else "too_short"
    if chinese < 2:
        return "too_short"
    return None


def split_statements(answer: str) -> list[str]:
    """The separate needs inside one answer, normalised, empty pieces dropped."""
    pieces = _SPLIT.split(answer or "")
    return [p for p in (normalise(piece) for piece in pieces) if p]
