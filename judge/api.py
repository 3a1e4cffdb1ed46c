from rest_framework import generics, serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from judge.errors import SubmissionRejected
from judge.models import Submission, TestResult
from judge.ratelimits import submit_rate_check
from judge.selectors import submission_get_for_user, submission_list_for_user
from judge.services.queue import queue_position
from judge.services.submissions import submission_create
from sandbox import LANGUAGES


class SubmissionCreateSerializer(serializers.Serializer):
    problem = serializers.SlugField()
    language = serializers.ChoiceField(choices=sorted(LANGUAGES))
    source = serializers.CharField(trim_whitespace=False)


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
        return queue_position(submission=submission)


class SubmissionListCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        paginator = generics.ListAPIView.pagination_class()
        page = paginator.paginate_queryset(submission_list_for_user(user=request.user), request, view=self)
        return paginator.get_paginated_response(SubmissionSerializer(page, many=True).data)

    def post(self, request):
        payload = SubmissionCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            submit_rate_check(request)
            submission = submission_create(
                user=request.user,
                problem_code=payload.validated_data["problem"],
                language=payload.validated_data["language"],
                source=payload.validated_data["source"],
            )
        except SubmissionRejected as exc:
            return _rejected(exc)
        return Response(SubmissionDetailSerializer(submission).data, status=status.HTTP_201_CREATED)


def _rejected(exc: SubmissionRejected) -> Response:
    body = {"detail": exc.message}
    if exc.field:
        body = {exc.field: [exc.message], "detail": exc.message}
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return Response(body, status=exc.status, headers=headers)


class SubmissionDetailApi(generics.RetrieveAPIView):
    serializer_class = SubmissionDetailSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self):
        return submission_get_for_user(user=self.request.user, submission_id=self.kwargs["submission_id"])


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
def not_found(request, *args, **kwargs):
    return Response({"detail": f"No API endpoint at {request.path}."}, status=status.HTTP_404_NOT_FOUND)
