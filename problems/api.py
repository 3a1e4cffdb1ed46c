from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from problems.models import PROBLEM_SETTING_NAMES_PUBLIC, Problem
from problems.selectors import problem_get_for_user, problem_list_visible, problem_sample_previews


class ErrorSerializer(serializers.Serializer):
    """The shape of every API error without field errors (schema only)."""

    detail = serializers.CharField()


# Any operation: a NUL byte in the query string (judge/middleware.py) or a body that cannot be parsed.
BAD_REQUEST = {400: ErrorSerializer}
# Session authentication comes first, so bad or missing credentials are a 403, never a 401.
FORBIDDEN = {403: ErrorSerializer}
NOT_FOUND = {404: ErrorSerializer}


class SampleSerializer(serializers.Serializer):
    input = serializers.CharField()
    answer = serializers.CharField()
    truncated = serializers.BooleanField(help_text="The input or the answer is longer than shown (64 KiB).")


class ProblemListSerializer(serializers.ModelSerializer):
    tenant = serializers.CharField(source="tenant.slug")
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)  # not "any JSON"

    class Meta:
        model = Problem
        # The settings contestants see (problems/models.py), less the statement: a list stays short.
        fields = ["code", "tenant", *(name for name in PROBLEM_SETTING_NAMES_PUBLIC if name != "statement")]


class ProblemDetailSerializer(ProblemListSerializer):
    samples = serializers.SerializerMethodField()

    class Meta(ProblemListSerializer.Meta):
        fields = ["code", "tenant", *PROBLEM_SETTING_NAMES_PUBLIC, "samples"]

    @extend_schema_field(SampleSerializer(many=True))
    def get_samples(self, problem: Problem) -> list[dict]:
        return [
            {key: sample[key] for key in ("input", "answer", "truncated")}
            for sample in problem_sample_previews(problem=problem)
        ]


@extend_schema(
    summary="Problems the caller may see",
    responses={200: ProblemListSerializer(many=True), **BAD_REQUEST, **FORBIDDEN, **NOT_FOUND},
)
class ProblemListApi(generics.ListAPIView):
    serializer_class = ProblemListSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return problem_list_visible(user=self.request.user)


@extend_schema(
    summary="One problem with its statement and samples",
    responses={200: ProblemDetailSerializer, **BAD_REQUEST, **FORBIDDEN, **NOT_FOUND},
)
class ProblemDetailApi(generics.RetrieveAPIView):
    serializer_class = ProblemDetailSerializer
    permission_classes = [AllowAny]

    def get_object(self):
        return problem_get_for_user(user=self.request.user, code=self.kwargs["code"])
