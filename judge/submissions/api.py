from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from judge.submissions import dispatch
from judge.submissions.errors import SubmissionRejected
from judge.submissions.forms import languages_offered
from judge.submissions.models import Submission, TestResult
from judge.submissions.ratelimits import submit_rate_check
from judge.submissions.selectors import (
    submission_get_for_user,
    submission_list_for_user,
    submission_queue_position,
)
from judge.submissions.services import submission_create
from problems.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, ErrorSerializer
from problems.selectors import problem_get_for_user
from sandbox import LANGUAGES


class SubmissionCreateSerializer(serializers.Serializer):
    problem = serializers.SlugField()
    language = serializers.ChoiceField(choices=Submission._meta.get_field("language").choices)
    source = serializers.CharField(trim_whitespace=False)


SUBMIT_EXAMPLE = OpenApiExample(
    "A+B in Python",
    value={
        "problem": "aplusb",
        "language": "python",
        "source": "a, b = map(int, input().split())\nprint(a + b)\n",
    },
    request_only=True,
)
UNREACHABLE = "The judge cannot be reached right now; the submission was not saved. Retry after Retry-After."
UNAVAILABLE = "No live worker, the queue is over JUDGE_MAX_QUEUE_DEPTH, or Redis is down: nothing was saved."
TOO_MANY = (
    "Too many submissions (per user: JUDGE_SUBMIT_RATE), "
    "or the queue or CPU quota of the course, school or club is full."
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After", int, OpenApiParameter.HEADER, response=[429, 503], description="Seconds to wait."
)


class SubmissionCreateErrorSerializer(serializers.Serializer):
    """A refused submission (schema only): a `detail`, per-field messages, or both."""

    detail = serializers.CharField(required=False)
    problem = serializers.ListField(child=serializers.CharField(), required=False)
    language = serializers.ListField(child=serializers.CharField(), required=False)
    source = serializers.ListField(child=serializers.CharField(), required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


class TestResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = TestResult
        fields = ["order", "is_sample", "group_name", "verdict", "time", "memory", "checker_message"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.is_sample:
            data["checker_message"] = ""  # hidden tests show only verdict, time and memory
        return data


class SubmissionSerializer(serializers.ModelSerializer):
    problem = serializers.CharField(source="problem.code")

    class Meta:
        model = Submission
        fields = [
            "id",
            "problem",
            "language",
            "status",
            "verdict",
            "score",
            "max_score",
            "max_time",
            "max_memory",
            "tests_total",
            "tests_done",
            "created_at",
            "judged_at",
        ]


class SubmissionDetailSerializer(SubmissionSerializer):
    results = TestResultSerializer(many=True, read_only=True)
    queue_position = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = SubmissionSerializer.Meta.fields + ["source", "compile_output", "queue_position", "results"]

    def get_queue_position(self, submission: Submission) -> int | None:
        return submission_queue_position(submission=submission)


class SubmissionListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = generics.ListAPIView.pagination_class

    @extend_schema(
        summary="The caller's submissions, newest first",
        responses={200: SubmissionSerializer(many=True), **BAD_REQUEST, **FORBIDDEN, **NOT_FOUND},
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(submission_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(SubmissionSerializer(page, many=True).data)

    @extend_schema(
        summary="Submit a solution",
        request=SubmissionCreateSerializer,
        examples=[SUBMIT_EXAMPLE],
        parameters=[RETRY_AFTER],
        responses={
            201: SubmissionDetailSerializer,
            400: SubmissionCreateErrorSerializer,
            **FORBIDDEN,
            404: OpenApiResponse(ErrorSerializer, description="No such problem, or hidden from the caller."),
            413: OpenApiResponse(ErrorSerializer, description="The body is over JUDGE_MAX_REQUEST_BYTES."),
            429: OpenApiResponse(ErrorSerializer, description=TOO_MANY),
            503: OpenApiResponse(ErrorSerializer, description=UNAVAILABLE),
        },
    )
    def post(self, request):
        payload = SubmissionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            submit_rate_check(request)
            problem = problem_get_for_user(user=request.user, code=payload.validated_data["problem"])
            _language_check(payload.validated_data["language"])
            submission = submission_create(
                user=request.user,
                problem=problem,
                language=payload.validated_data["language"],
                source=payload.validated_data["source"],
            )
        except SubmissionRejected as exc:
            return _rejected(exc)
        except dispatch.SERVICE_ERRORS:  # Redis is down: nothing was saved
            return _rejected(SubmissionRejected(UNREACHABLE, status=503, retry_after=30))
        return Response(SubmissionDetailSerializer(submission).data, status=status.HTTP_201_CREATED)


def _language_check(key: str) -> None:
    if key not in languages_offered():
        message = f"{LANGUAGES[key].name} is not available on this judge now (its image is not built)."
        raise SubmissionRejected(message, field="language", status=400)


class LanguageSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    version = serializers.CharField(help_text="From the language's image; empty when it is not built.")
    available = serializers.BooleanField(help_text="Whether submissions in it are accepted now.")


@extend_schema(summary="The judge's languages, with versions", responses={200: LanguageSerializer(many=True)})
@api_view(["GET"])
@permission_classes([AllowAny])
def language_list(request):
    offered = languages_offered()
    rows = [
        {"key": key, "name": lang.name, "version": offered.get(key, ""), "available": key in offered}
        for key, lang in LANGUAGES.items()
    ]
    return Response(LanguageSerializer(rows, many=True).data)


def _rejected(exc: SubmissionRejected) -> Response:
    body = {"detail": exc.message}
    if exc.field:
        body = {exc.field: [exc.message], "detail": exc.message}
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return Response(body, status=exc.status, headers=headers)


@extend_schema(
    summary="One submission with its test results",
    responses={200: SubmissionDetailSerializer, **BAD_REQUEST, **FORBIDDEN, **NOT_FOUND},
)
class SubmissionDetailApi(generics.RetrieveAPIView):
    serializer_class = SubmissionDetailSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return submission_get_for_user(user=self.request.user, submission_id=self.kwargs["submission_id"])


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    return Response({"detail": f"No API endpoint at {request.path}."}, status=status.HTTP_404_NOT_FOUND)
