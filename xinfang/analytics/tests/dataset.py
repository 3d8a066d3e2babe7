"""A small March 2026 in the sample county whose figures are known by hand.

| case | received | channel | what happened                                  |
| A    | 03-02    | letter  | accepted 03-02, assigned to 城关镇, replied 03-12 on time, evaluated satisfied; a phone repeat on 03-10 |
| B    | 03-05    | visit   | 6 people (collective), a suggestion, accepted 03-05, still being handled |
| C    | 03-01    | online  | never decided: decision due 03-16, overdue on 03-20 |
| F    | 03-03    | letter  | declined 03-03                                 |
| E    | 02-10    | letter  | February: outside the period                   |
"""

from xinfang.cases.services import perform
from xinfang.intake.services import PetitionIn, register
from xinfang.tests.answer import answer


def build_march(traveller, people, units):
    dengji = people["dengji"]

    def letter(**overrides):
        fields = dict(channel="letter", receiving_unit=units["bureau"], title="征地补偿款未发放", content="补偿款至今未发放。",
                      kind="grievance", petitioners=[{"name": "刘某", "phone": "13800000001"}])
        fields.update(overrides)
        return register(actor=dengji, data=PetitionIn(**fields))[1]

    traveller.move_to("2026-02-10 10:00 +0800")
    e = letter(title="二月的信")
    perform(case=e, action="accept", actor=dengji)

    traveller.move_to("2026-03-02 10:00 +0800")
    a = letter()
    perform(case=a, action="accept", actor=dengji)
    perform(case=a, action="assign", actor=dengji, unit="341122100")
    c = letter(channel="online", title="噪声扰民", received_at="2026-03-01T09:00:00+08:00", petitioners=[])

    traveller.move_to("2026-03-03 10:00 +0800")
    f = letter(title="已有判决")
    perform(case=f, action="decline", actor=dengji, reason="属诉讼程序", proper_channel="人民法院")

    traveller.move_to("2026-03-05 10:00 +0800")
    b = letter(channel="visit", kind="suggestion", title="建议修路", headcount=6, representatives=["甲"],
               petitioners=[{"name": "甲"}, {"name": "乙"}])
    perform(case=b, action="accept", actor=dengji)

    traveller.move_to("2026-03-10 10:00 +0800")
    letter(channel="phone", case=a.number)

    traveller.move_to("2026-03-12 10:00 +0800")
    perform(case=a, action="start", actor=people["cg_chengban"])
    answer(a, people["cg_fuzeren"], outcome="support", request_summary="发放补偿款", facts="补偿款未发放", opinion="十日内发放")
    perform(case=a, action="evaluate", actor=dengji, satisfaction="satisfied")

    traveller.move_to("2026-03-20 10:00 +0800")
    return {"A": a, "B": b, "C": c, "E": e, "F": f}
