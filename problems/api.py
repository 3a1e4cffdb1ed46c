from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from problems.models import Problem
from problems.selectors import problem_get_for_user, problem_list_visible, problem_samples


class ProblemListSerializer(serializers.ModelSerializer):
    tenant = serializers.CharField(source="tenant.slug")

    class Meta:
        model = Problem
        fields = [
            "code",
            "title",
            "tenant",
            "time_limit",
            "memory_limit",
            "output_limit",
            "checker",
            "scoring",
        ]


class ProblemDetailSerializer(ProblemListSerializer):
    samples = serializers.SerializerMethodField()

    class Meta(ProblemListSerializer.Meta):
        fields = ProblemListSerializer.Meta.fields + ["statement", "samples"]

    def get_samples(self, problem: Problem) -> list[dict]:
        return [
            {
                "input": t.read_input().decode(errors="replace"),
                "answer": t.read_answer().decode(errors="replace"),
            }
            for t in problem_samples(problem=problem)
        ]


class ProblemListApi(generics.ListAPIView):
    serializer_class = ProblemListSerializer
    permission_classes = [AllowAny]

    def get_queryset(self):
        return problem_list_visible(user=self.request.user)


class ProblemDetailApi(generics.RetrieveAPIView):
    serializer_class = ProblemDetailSerializer
    permission_classes = [AllowAny]

    def get_object(self):
        return problem_get_for_user(user=self.request.user, code=self.kwargs["code"])
