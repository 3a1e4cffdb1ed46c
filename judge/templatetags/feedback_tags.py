"""`{% sample_feedback_for result as feedback %}`: a sample test's side-by-side view (submission page)."""

from django import template

from judge.submissions.feedback import SampleFeedback, sample_feedback

register = template.Library()


@register.simple_tag
def sample_feedback_for(result) -> SampleFeedback | None:
    return sample_feedback(result)
