from itadesk.demo import questionnaires as demo
from itadesk.questionnaires.models import Questionnaire, Response, State
from tests.questionnaires.qworld import use_framework


def test_demo_questionnaires_load_once(world):
    use_framework(world, "2568")
    world.sao1.dla_code = demo.DEMO_AGENCIES[0]
    world.sao1.save()
    demo.load(world.round)
    assert Questionnaire.objects.filter(state=State.PUBLISHED).count() == 2
    n = Response.objects.count()
    assert n == sum(demo.RESPONSES.values())
    demo.load(world.round)
    assert Questionnaire.objects.count() == 2 and Response.objects.count() == n
    demo.load(None)
