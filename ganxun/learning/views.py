"""Online-learning pages and the player's two JSON endpoints. Thin: parse, call one selector or
service, render."""

import json

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from ganxun.catalog import files
from ganxun.core.context import current_request_info
from ganxun.core.errors import DomainError, NotFound
from ganxun.core.http import form_page, handle_form, post_action, require
from ganxun.learning import integrity, policies, selectors, services
from ganxun.learning.forms import CourseForm, LessonAddForm, LessonUploadForm
from ganxun.learning.wire import BadReport, parse_reports

STATUS = {"not_enrolled": 403, "no_cadre": 403, "superseded": 409}


@require_safe
@require(policies.can_open_learning)
def index(request):
    enrolled = {e.course_id: e for e in selectors.my_courses(request.user)}
    courses = list(selectors.course_list(request.user))
    for course in courses:
        course.mine = enrolled.get(course.pk)
    return render(
        request,
        "learning/index.html",
        {
            "courses": courses,
            "can_manage": policies.can_manage_courses(request.user),
            "can_learn": policies.can_learn(request.user),
        },
    )


@require_safe
@require(policies.can_open_learning)
def course_detail(request, pk):
    course = selectors.get_course_for(request.user, pk)
    lessons = selectors.lessons_of(request.user, course)
    progress = selectors.my_progress(request.user, lessons)
    can_edit = policies.can_edit_course(request.user, course)
    by_unit = (
        selectors.progress_by_unit(request.user, course)
        if policies.can_manage_courses(request.user)
        else []
    )
    rows = []
    for lesson in lessons:
        mine = progress.get(lesson.pk)
        rows.append((lesson, mine, mine.percent(lesson.duration_ms) if mine else 0))
    return render(
        request,
        "learning/course.html",
        {
            "course": course,
            "rows": rows,
            "enrollment": selectors.my_enrollment(request.user, course),
            "can_edit": can_edit,
            "can_learn": policies.can_learn(request.user),
            "by_unit": by_unit,
        },
    )


@require(policies.can_manage_courses)
def course_new(request):
    form = CourseForm(request.POST or None)
    course = handle_form(
        request,
        form,
        lambda: services.course_create(actor=request.user, data=form.to_data()),
        _("课程已创建，请添加课时。"),
    )
    if course:
        return redirect("learning:course", pk=course.pk)
    return form_page(
        request,
        form,
        template="learning/form.html",
        title=_("新建网络课程"),
        cancel=reverse("learning:index"),
    )


@require(policies.can_manage_courses)
def course_edit(request, pk):
    course = selectors.get_course_for(request.user, pk)
    form = CourseForm(request.POST or None, initial=CourseForm.initial_for(course))
    done = handle_form(
        request,
        form,
        lambda: services.course_update(actor=request.user, course=course, data=form.to_data()),
        _("课程已保存。"),
    )
    if done:
        return redirect("learning:course", pk=course.pk)
    return form_page(
        request,
        form,
        template="learning/form.html",
        title=_("编辑网络课程"),
        cancel=reverse("learning:course", args=[course.pk]),
    )


@require_POST
@require(policies.can_learn)
def course_enroll(request, pk):
    course = selectors.get_course_for(request.user, pk)
    return post_action(
        request,
        lambda: services.enroll(actor=request.user, course=course),
        success=_("已选学该课程。"),
        to="learning:course",
        pk=course.pk,
    )


def _lesson_forms_page(request, course, add_form, upload_form):
    return render(
        request,
        "learning/lesson_new.html",
        {"course": course, "add_form": add_form, "upload_form": upload_form},
    )


@require(policies.can_manage_courses)
def lesson_add(request, pk):
    course = selectors.get_course_for(request.user, pk)
    form = LessonAddForm(request.POST or None, actor=request.user, prefix="lib")
    done = handle_form(
        request,
        form,
        lambda: services.lesson_add(
            actor=request.user,
            course=course,
            material=form.cleaned_data["material"],
            title=form.cleaned_data["title"],
            credit_hours=form.cleaned_data["credit_hours"],
        ),
        _("课时已添加。"),
    )
    if done:
        return redirect("learning:course", pk=course.pk)
    return _lesson_forms_page(request, course, form, LessonUploadForm(prefix="up"))


@csrf_exempt
def lesson_upload(request, pk):
    # The size guard must run before anything reads request.POST (csrf_protect reads it).
    request.upload_handlers.insert(0, files.UploadSizeGuard(request, files.MAX_VIDEO_BYTES))
    return _lesson_upload(request, pk)


@csrf_protect
@require(policies.can_manage_courses)
def _lesson_upload(request, pk):
    course = selectors.get_course_for(request.user, pk)
    if request.method != "POST":
        return redirect("learning:lesson_add", pk=course.pk)
    form = LessonUploadForm(request.POST, request.FILES, prefix="up")
    refused = getattr(request, "upload_refused_size", None)
    if refused:
        form.is_valid()
        form.add_error("file", files.too_large_message(refused, files.MAX_VIDEO_BYTES))
    done = not refused and handle_form(
        request,
        form,
        lambda: services.lesson_upload(
            actor=request.user,
            course=course,
            upload=form.cleaned_data["file"],
            title=form.cleaned_data["title"],
            credit_hours=form.cleaned_data["credit_hours"],
        ),
        _("视频已上传并添加为课时。"),
    )
    if done:
        return redirect("learning:course", pk=course.pk)
    add_form = LessonAddForm(actor=request.user, prefix="lib")
    return _lesson_forms_page(request, course, add_form, form)


@require_safe
@require(policies.can_learn)
def lesson_play(request, pk):
    lesson = selectors.get_lesson_for(request.user, pk)
    enrollment = selectors.my_enrollment(request.user, lesson.course)
    if enrollment is None:
        messages.warning(request, _("请先选学该课程。"))
        return redirect("learning:course", pk=lesson.course_id)
    progress = selectors.my_progress(request.user, [lesson]).get(lesson.pk)
    return render(
        request,
        "learning/play.html",
        {
            "lesson": lesson,
            "course": lesson.course,
            "progress": progress,
            "percent": progress.percent(lesson.duration_ms) if progress else 0,
        },
    )


@require_safe
@require(policies.can_open_learning)
def lesson_video(request, pk):
    lesson = selectors.get_lesson_for(request.user, pk)
    return files.stored_file_response(
        request, lesson.material, missing=_("该课时没有视频文件。"), inline=True
    )


@require_safe
@require(policies.can_learn)
def my_hours(request):
    return render(
        request,
        "learning/hours.html",
        {
            "hours": selectors.my_online_hours(request.user),
            "courses": selectors.my_courses(request.user),
        },
    )


@require_safe
@require(policies.can_view_integrity)
def anomalies(request):
    return render(
        request,
        "learning/anomalies.html",
        {"found": integrity.findings(request.user), "days": integrity.DAYS},
    )


# --- the player's JSON endpoints --------------------------------------------------------------


def _refusal(code: str, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def _json_body(request) -> dict:
    if len(request.body) > 64 * 1024:
        raise BadReport("too_large")
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadReport("bad_json") from exc
    if not isinstance(body, dict):
        raise BadReport("bad_json")
    return body


@require_POST
@require(policies.can_learn)
def play_start(request, pk):
    try:
        lesson = selectors.get_lesson_for(request.user, pk)
        started = services.play_start(
            actor=request.user,
            lesson=lesson,
            ip=current_request_info().ip,
            user_agent=request.headers.get("User-Agent", ""),
        )
    except NotFound:
        return _refusal("not_found", _("未找到该课时。"), 404)
    except DomainError as exc:
        return _refusal(exc.code, exc.message, STATUS.get(exc.code, 400))
    return JsonResponse(started.__dict__)


@require_POST
@require(policies.can_learn)
def progress(request):
    try:
        body = _json_body(request)
        reports = parse_reports(body.get("reports"))
        outcome = services.progress_report(
            actor=request.user, token=body.get("token"), reports=reports
        )
    except BadReport as exc:
        return _refusal(exc.code, _("进度数据格式不正确。"))
    except NotFound:
        return _refusal("unknown_session", _("播放记录不存在，请刷新页面。"), 404)
    except DomainError as exc:
        return _refusal(exc.code, exc.message, STATUS.get(exc.code, 400))
    data = outcome.__dict__ | {"hours": str(outcome.hours) if outcome.hours is not None else None}
    if outcome.superseded:
        data["message"] = _("您已在其他页面或设备上播放，此处不再计时。")
    return JsonResponse(data, status=409 if outcome.superseded else 200)
