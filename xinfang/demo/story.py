"""The life of each demo case, planned first and then replayed through the real services
(`register`, `perform`) at the moments it happened, with the clock moved there.

A plan is a list of steps at day offsets from receipt. Every case is planned to end in
a chosen status; an open case is also given a deadline position (overdue, due within
three days, or comfortably ahead), and its receipt date is worked back from that. All
steps of all cases are then replayed in time order, so numbers, timelines and the audit
trail read as if the office had worked through the months.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from xinfang.calendar.periods import next_working_day
from xinfang.calendar.services import current_table
from xinfang.cases import case_documents, clock
from xinfang.cases.choices import Channel, Status
from xinfang.cases.models import Case
from xinfang.cases.services import legal_handle_due, perform, refusal
from xinfang.intake.services import PetitionIn, register
from xinfang.lib.errors import ServiceError
from xinfang.org.choices import Role

from . import fake
from .people import STAFF
from .scenarios import SCENARIOS, fill, reply_texts, slots

S = Status
WINDOW_DAYS = 150  # how far back the demo reaches (about five months)
MAX_AGE_DAYS = 165

# How the final statuses are spread; every status appears in the first len(COVER) cases.
TARGET_WEIGHTS = {
    S.REGISTERED: 6, S.FORWARDED: 4, S.ACCEPTED: 4, S.DECLINED: 6, S.REFUSED: 1.5, S.ASSIGNED: 9,
    S.IN_PROGRESS: 14, S.REPORTED: 4, S.REPLIED: 6, S.EVALUATED: 6, S.CLOSED: 13, S.REVIEW: 3, S.REVIEWED: 3,
    S.RE_REVIEW: 2, S.CONCLUDED: 3, S.ARCHIVED: 18, S.MERGED: 2,
}
OPEN = (S.REGISTERED, S.FORWARDED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPORTED, S.REVIEW, S.RE_REVIEW)
# The first cases cover every status and every deadline position, so that even a small
# demo (the tests load 40) shows overdue and due-soon work, repeats and a collective visit.
COVER = [
    (S.REGISTERED, "overdue"), (S.IN_PROGRESS, "overdue"), (S.ASSIGNED, "soon"), (S.ARCHIVED, None),
    (S.FORWARDED, "soon"), (S.ACCEPTED, "normal"), (S.DECLINED, None), (S.REFUSED, None), (S.REPLIED, None),
    (S.EVALUATED, None), (S.CLOSED, None), (S.REVIEW, "normal"), (S.REVIEWED, None), (S.RE_REVIEW, "normal"),
    (S.CONCLUDED, None), (S.IN_PROGRESS, "soon"), (S.MERGED, None), (S.ASSIGNED, "overdue"), (S.REGISTERED, "soon"),
    (S.VOIDED, None), (S.REPORTED, "normal"),
]
# Assigned cases are answered through their result report (报送办理结果), accepted by the
# assigning unit (审核通过); this share is sent back once (退回补办) and reported again.
SEND_BACK_SHARE = 0.2
FORCE_REPEAT = {1, 10, 12}
FORCE_COLLECTIVE = {2, 3}
MODE_WEIGHTS = {"normal": 64, "soon": 16, "overdue": 20}

CHANNEL_WEIGHTS = {Channel.ONLINE: 30, Channel.LETTER: 24, Channel.VISIT: 24, Channel.PHONE: 12, Channel.DEPUTY: 4, Channel.REFERRAL: 6}
REGISTRAR_OF = {"bureau": "dengji", "chengguan_office": "cg_dengji", "qingshan": "qs_fuzeren", "hekou": "hk_fuzeren", "city_office": "city_fuzeren"}
TOWNSHIPS = ("chengguan", "qingshan", "hekou")
DEPARTMENTS = ("land", "housing", "labour", "environment", "education", "police")
SATISFACTION = {"satisfied": 60, "basically": 28, "not_satisfied": 12}
PREFERRED_ROLE = {"start": Role.HANDLER, "reply": Role.HEAD, "extend": Role.HEAD, "return": Role.HEAD, "conclude": Role.HEAD,
                  "report": Role.HEAD, "approve": Role.HEAD, "send_back": Role.HEAD}


def pick(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


@dataclass
class Step:
    action: str
    day: float  # nominal days after receipt
    units: tuple  # unit keys whose staff act, in order of preference
    params: object = field(default_factory=dict)  # dict, or callable(case, moment) -> dict
    at: dt.datetime | None = None
    # A step of another story that must have happened first (a merge needs the case it
    # merges into to be registered): placed after it whatever holidays move either.
    after: "Step | None" = None


@dataclass
class Story:
    index: int
    target: str
    mode: str | None
    scenario: object
    words: dict
    receiver: str
    handler: str
    petition: dict
    steps: list
    variant: str | None = None
    place: str = ""
    anonymous: bool = False
    collective: bool = False
    anchor: int = 0
    period: int = 15
    extend_days: int = 0
    case: Case | None = None
    received_at: dt.datetime | None = None


class Planner:
    """Plans `count` stories ending before `now`, reproducibly from `seed`."""

    def __init__(self, *, units, seed, now):
        self.units = units
        self.rng = random.Random(seed)
        # Deliveries draw from their own generator: adding them left every other draw,
        # and so the demo's mix of cases, as it was.
        self.deliver_rng = random.Random(seed + 1)
        self.now = now
        self.table = current_table()
        self.sent_back = 0  # results sent back for more work (退回补办) so far

    # --- what each case is -------------------------------------------------------

    def targets(self, count):
        out = []
        for i in range(count):
            if i < len(COVER):
                out.append(COVER[i])
            else:
                target = pick(self.rng, TARGET_WEIGHTS)
                out.append((target, pick(self.rng, MODE_WEIGHTS) if target in OPEN else None))
        return out

    def plan(self, count):
        targets = self.targets(count)
        stories = [self.story(i, target, mode) for i, (target, mode) in enumerate(targets) if target != S.MERGED]
        for story in stories:
            self.schedule(story)
        # 一信多投: the same letter also reached the city; that copy is merged into the
        # county's case. Planned once the originals have their dates.
        for i, (target, _) in enumerate(targets):
            if target == S.MERGED:
                stories.insert(i, self.duplicate(i, stories))
        for i, story in enumerate(stories):
            story.index = i
            self.maybe_repeat(story)
        return stories

    def duplicate(self, index, stories):
        rng = self.rng
        originals = [s for s in stories if s.receiver == "bureau" and s.petition["channel"] in (Channel.LETTER, Channel.ONLINE)]
        rng.shuffle(originals)
        for original in originals:
            received = original.received_at + dt.timedelta(days=rng.uniform(1, 3))
            copy = Story(index, S.MERGED, None, original.scenario, original.words, "city_office", original.handler,
                         dict(original.petition, receiving_unit=self.units["city_office"]), [], place=original.place,
                         anonymous=original.anonymous)
            copy.steps = [Step("register", 0.0, ("city_office",)),
                          Step("merge", rng.uniform(0.5, 4), ("city_office",), _merge_into(original), after=original.steps[0])]
            self.place_steps(copy, received)
            ends = [step.at for step in original.steps if step.action == "archive"] + [self.now - dt.timedelta(minutes=5)]
            if copy.steps[-1].at < min(ends):
                return copy
        story = self.story(index, S.CLOSED, None)  # nothing to copy from: an ordinary case instead
        self.schedule(story)
        return story

    def story(self, index, target, mode):
        rng = self.rng
        variant = None
        if target == S.ARCHIVED:
            variant = pick(rng, {"closed": 55, "concluded": 20, "declined": 20, "refused": 5})
        end = variant or target
        collective = index in FORCE_COLLECTIVE
        for _ in range(200):
            scenario = rng.choices(SCENARIOS, weights=[s.weight for s in SCENARIOS])[0]
            if end == S.DECLINED and not scenario.decline:
                continue
            if end != S.DECLINED and scenario.decline_only:
                continue
            if collective and not scenario.collective:
                continue
            place = rng.choice(scenario.places)
            handler = rng.choice(scenario.handlers)
            handler = place if handler == "local" else handler
            if handler == "local_discipline":  # the township's own discipline committee, where it has one
                handler = f"{place}_discipline" if f"{place}_discipline" in self.units else "discipline"
            if target in (S.ASSIGNED, S.REPORTED) and handler in ("court", "bureau"):
                continue
            if end in (S.REVIEW, S.REVIEWED, S.RE_REVIEW, S.CONCLUDED) and handler == "bureau":
                continue  # the bureau's head would answer a review of his own bureau's reply
            if target == S.FORWARDED and handler == "bureau":
                continue
            break
        words = slots(rng, place)
        receiver = self.receiver(target, end, handler, place)
        story = Story(index, target, mode, scenario, words, receiver, handler, {}, [], variant=variant, place=place)
        story.collective = collective or (rng.random() < scenario.collective * 0.22 and receiver != "city_office")
        story.anonymous = (
            not story.collective and end in (S.REGISTERED, S.FORWARDED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.REPLIED, S.CLOSED, S.DECLINED)
            and rng.random() < max(scenario.anonymous, 0.04)
        )
        story.petition = self.petition(story)
        story.steps = self.route(story, end)
        return story

    def receiver(self, target, end, handler, place):
        rng = self.rng
        if end == S.REFUSED:
            return rng.choice(("city_office", "city_office", "bureau"))
        if end == S.DECLINED:
            return rng.choice(("bureau", "bureau", "bureau", "chengguan_office" if place == "chengguan" else place))
        if handler in ("qingshan", "hekou") and target not in (S.ASSIGNED, S.REPORTED) and rng.random() < 0.45:
            return handler
        if handler == "chengguan" and target != S.REPORTED and rng.random() < 0.45:
            return "chengguan_office"
        if target == S.FORWARDED and handler == "bureau" or (target != S.REPORTED and rng.random() < 0.09):
            return "city_office"
        return "bureau"

    def petition(self, story):
        rng, scenario, words = self.rng, story.scenario, story.words
        place = next(k for k, (town, _) in fake.TOWNSHIP_PLACES.items() if town == words["township"])
        channel = Channel.VISIT if story.collective else pick(rng, CHANNEL_WEIGHTS)
        if story.receiver == "city_office" and channel in (Channel.DEPUTY, Channel.REFERRAL, Channel.PHONE):
            channel = Channel.VISIT
        if story.receiver != "bureau" and channel == Channel.REFERRAL:
            channel = Channel.LETTER
        if story.anonymous and channel not in (Channel.LETTER, Channel.ONLINE):
            channel = Channel.LETTER
        people, reps, headcount = [], [], 1
        if story.collective:
            headcount = rng.randint(5, 30)
            reps = fake.names(rng, rng.randint(1, 5))
            people = [dict(fake.person(rng, place, words["village"]), name=n) for n in reps]
        elif channel == Channel.VISIT:
            headcount = rng.choice((1, 1, 1, 2, 2, 3))
            people = [dict(fake.person(rng, place, words["village"]), name=n) for n in fake.names(rng, headcount)]
        elif not story.anonymous:
            count = rng.choice((2, 3, 4)) if channel == Channel.LETTER and rng.random() < 0.12 else 1
            people = [dict(fake.person(rng, place, words["village"], with_id=rng.random() > 0.12), name=n) for n in fake.names(rng, count)]
        body = fill(scenario.body, words)
        prefix = {Channel.VISIT: "来访人反映：", Channel.PHONE: "来电人反映：", Channel.DEPUTY: "县人大代表转交群众来信："}.get(channel, "")
        if story.collective:
            prefix = f"{headcount}名群众集体来访，推选代表{len(reps)}人，反映："
        data = dict(
            channel=channel, receiving_unit=self.units[story.receiver], title=fill(rng.choice(scenario.titles), words),
            content=prefix + body, kind=scenario.kind, category=scenario.category, petitioners=people,
            headcount=headcount, representatives=reps,
        )
        if scenario.accused:
            slot, post = scenario.accused
            data.update(accused_unit=next(u for u in self.units.values() if u.name == words[slot]), accused_post=post)
        if channel == Channel.DEPUTY:
            data.update(agent_name=fake.name(rng), agent_role="县人大代表")
        if channel == Channel.REFERRAL:
            data.update(referral_from="江州市信访局")
        return data

    # --- the route through the office ----------------------------------------------

    def route(self, story, end):
        rng, u = self.rng, self.units
        steps = [Step("register", 0.0, (story.receiver,))]
        story.anchor, story.period = 0, 15
        t = 0.0

        def add(action, lo, hi, units, params=None):
            nonlocal t
            t += rng.uniform(lo, hi)
            steps.append(Step(action, t, tuple(units), params or {}))
            return len(steps) - 1

        def deliver(units, kind=None):
            """送达 of the notice just issued (`kind`) or of the answer just given, a little
            after it; the plan's clock stays (a delivery that would fall after now is left
            out when the plan runs)."""
            steps.append(Step("deliver", t + self.deliver_rng.uniform(0.1, 2.5), tuple(units),
                              _deliver_params(self.deliver_rng.random(), kind)))

        side = tuple(dict.fromkeys((story.receiver, "bureau", "county", "city")))  # who speaks for the petitioner
        decider, target, handler, sc = story.receiver, story.target, story.handler, story.scenario
        if target == S.REGISTERED:
            return steps
        if target == S.VOIDED:  # the same letter typed in twice; the second is voided the same day
            add("void", 0.05, 0.6, (story.receiver,), {"reason": "与已登记的来信为同一件，系重复登记，予以作废。"})
            return steps
        if decider == "city_office" and end != S.REFUSED:
            story.anchor = add("forward", 0.5, 5, ("city_office",), {"unit": u["bureau"], "note": "属于安宁县职责范围，按照属地管理原则转送安宁县信访局办理。"})
            if target == S.FORWARDED:
                return steps
            decider = "bureau"
        if end == S.DECLINED:
            reason, channel, procedure = sc.decline
            add("decline", 1, 9, (decider,), {"reason": reason, "proper_channel": channel, "guided_procedure": procedure,
                                              "note": "已书面告知信访人。"})
            deliver((decider,), "decline_notice")
            if target == S.ARCHIVED:
                add("archive", 5, 25, (decider,) + side, {"note": "不予受理告知书已送达，材料齐全，立卷归档。"})
            return steps
        if end == S.REFUSED:
            if decider == "city_office":
                basis, reason = "art19", "信访人就同一事项已向安宁县提出，该事项尚在法定办理期限内，又向上级机关提出，本机关不予受理，请等待安宁县的处理意见。"
            else:
                basis, reason = "art36", "该信访事项已经复查、复核终结，信访人以同一事实和理由再次提出，依照《信访工作条例》第三十六条不再受理。"
            add("refuse", 0.5, 5, (decider,), {"basis": basis, "reason": reason})
            deliver((decider,), "refuse_notice")
            if target == S.ARCHIVED:
                add("archive", 5, 25, (decider,) + side, {"note": "不再受理告知书已送达，立卷归档。"})
            return steps

        forward = decider == "bureau" and handler != "bureau" and (
            handler == "court" or target == S.FORWARDED or (target not in (S.ASSIGNED, S.REPORTED) and rng.random() < 0.3))
        if forward:
            story.anchor = add("forward", 1, 7, (decider,), {"unit": u[handler], "note": f"按照“谁主管、谁负责”原则，转送{u[handler].name}依法处理。"})
            deliver((decider,), "forward_notice")
            if target == S.FORWARDED:
                return steps
            accept = add("accept", 1, 7, (handler,), {"note": "经审查，属于本机关职责范围，予以受理。"})
            deliver((handler,), "accept_notice")
        else:
            if target == S.FORWARDED:  # a township forwards a matter beyond it up to the bureau's departments
                story.anchor = add("forward", 1, 7, (decider,), {"unit": u[handler if handler in DEPARTMENTS else "land"], "note": "该事项不属于本级职责，转送县有关部门办理。"})
                return steps
            accept = add("accept", 0.5, 8, (decider,), {"note": "经审查，符合受理条件，予以受理。"})
            deliver((decider,), "accept_notice")
        story.anchor, story.period = accept, 60
        if target == S.ACCEPTED:
            return steps
        current = handler if forward else decider
        if decider == "chengguan_office" and not forward:
            lead = "chengguan"
        else:
            lead = handler
        # Assigned across units (交办): answered through the result report. A township's
        # petition office hands its own government the case within one body (no report).
        reports = lead != current and not (current == "chengguan_office" and lead == "chengguan")
        if lead != current:
            if decider == "bureau" and target != S.ASSIGNED and rng.random() < 0.08:
                wrong = rng.choice([d for d in DEPARTMENTS if d != lead])
                add("assign", 0, 2, (current,), {"unit": u[wrong], "note": "请依法调查处理，于期限内书面答复信访人并报送办理结果。"})
                add("return", 0.5, 3, (wrong,), {"reason": f"该事项属于{u[lead].name}职责范围，不属于本单位职责，请予改派。"})
            assisting = [u[story.place if a == "local" else a] for a in sc.assisting] if current == "bureau" else []
            assisting = [a for a in assisting if a.pk not in (u[lead].pk, u[current].pk)]
            params = {"unit": u[lead], "assisting": assisting, "note": "请依法调查处理，于期限内书面答复信访人并报送办理结果。"}
            if target not in OPEN and rng.random() < 0.2:
                params = dict(params, due_date=_tighter_due)
            add("assign", 0, 2.5, (current,), params)
            if target == S.ASSIGNED:
                return steps
        add("start", 0.5, 4, (lead,), {"note": "已签收，指定专人调查核实。"})
        accept_day = steps[accept].day
        roll = rng.random()
        extend_days = 0
        if roll < 0.18:
            extend_days = rng.choice((15, 20, 30))
            t = max(t, accept_day + rng.uniform(44, 56))
            steps.append(Step("extend", t, (lead,), {"days": extend_days, "reason": "案情复杂，需会同相关部门进一步调查核实，经单位负责人批准延期办理，已告知信访人。"}))
            deliver((lead,), "extension_notice")
            story.period, story.extend_days = 60 + extend_days, extend_days
        if target == S.IN_PROGRESS:
            return steps
        if target == S.REPORTED:  # reported in good time: the county's review is what is pending
            t = max(t + 1, accept_day + rng.uniform(8, 45))
        elif extend_days:
            t = max(t + 0.5, accept_day + rng.uniform(60, 58 + extend_days))
        elif roll < 0.26:
            t = max(t + 0.5, accept_day + rng.uniform(62, 78))  # answered late
        else:
            t = max(t + 1, accept_day + rng.uniform(8, 52))
        review_path = end in (S.REVIEW, S.REVIEWED, S.RE_REVIEW, S.CONCLUDED)
        outcome = rng.choice(("explain", "not_support", "explain")) if review_path else pick(rng, {"support": 55, "explain": 30, "not_support": 15})
        if reports:
            # 报送办理结果 to the assigning unit; some are sent back once (退回补办, while the
            # legal deadline leaves room) and reported again; some still wait (待审核).
            steps.append(Step("report", t, (lead,), _report_params(sc, story.words, outcome)))
            eligible = target != S.REPORTED and t < accept_day + 40
            if eligible and (self.sent_back < 2 or self.deliver_rng.random() < SEND_BACK_SHARE):  # even a small demo shows some
                self.sent_back += 1
                add("send_back", 0.5, 3, (current,), _send_back_params)
                add("report", 2, 8, (lead,), _report_params(sc, story.words, outcome, again=True))
            if target == S.REPORTED:
                return steps
            add("approve", 0.3, 3, (current,), {"note": "办理结果符合交办要求，审核通过，同意答复。"})
        else:
            steps.append(Step("reply", t, (lead,), _reply_params(sc, story.words, outcome)))
        reply_day = t
        if target != S.REPLIED or self.deliver_rng.random() < 0.7:  # some answers still wait to be delivered (待送达)
            deliver((lead,))
        if target == S.REPLIED:
            return steps
        if review_path:
            if rng.random() < 0.7:
                add("evaluate", 1, 6, side, _evaluation("not_satisfied", rng))
            t = min(max(t + 1, reply_day + rng.uniform(4, 22)), reply_day + 24)
            story.anchor = len(steps)
            steps.append(Step("review", t, side, {"reasons": f"对处理意见不服，“{fill(sc.request, story.words)}”的诉求未得到解决，请求复查。"}))
            story.period = 30
            if target == S.REVIEW:
                return steps
            add("reply", 8, 26, ("county",), _review_params(sc, story.words, rng.choice(("explain", "explain", "not_support", "support"))))
            deliver(("county",))
            answer_day = t
            if target == S.REVIEWED:
                if rng.random() < 0.4:
                    add("evaluate", 1, 6, side, _evaluation(rng.choice(("not_satisfied", "basically")), rng))
                return steps
            if end == S.CONCLUDED and rng.random() < 0.4:
                add("conclude", 31, 38, ("county",), {"note": "复查意见送达后，信访人在规定期限内未请求复核，信访事项依法终结。"})
            else:
                t = min(max(t + 1, answer_day + rng.uniform(4, 22)), answer_day + 24)
                story.anchor = len(steps)
                steps.append(Step("re_review", t, side, {"reasons": "对复查意见仍不服，请求复核。"}))
                if target == S.RE_REVIEW:
                    return steps
                add("reply", 8, 26, ("city",), _re_review_params(sc, story.words))
                deliver(("city",))
            if target == S.ARCHIVED:
                add("archive", 5, 20, side, {"note": "复核终结，办理材料齐全，立卷归档。"})
            return steps
        if not story.anonymous and (target == S.EVALUATED or rng.random() < 0.75):
            add("evaluate", 1, 9, side, _evaluation(pick(rng, SATISFACTION), rng))
        if target == S.EVALUATED:
            return steps
        add("close", 1, 10, side, {"note": "已书面答复信访人，信访人无新的诉求，予以办结。"})
        if rng.random() < 0.4 and not story.anonymous:
            add("follow_up", 3, 12, side, {"note": rng.choice(("电话回访信访人，处理意见已落实，信访人表示认可。", "上门回访，问题已解决，信访人无新的诉求。")),
                                            "method": rng.choice(("电话回访", "上门回访"))})
        if target == S.ARCHIVED:
            add("archive", 4, 20, side, {"note": "办理材料齐全，立卷归档。"})
        return steps

    # --- when it happened ----------------------------------------------------------

    def schedule(self, story):
        """Work the receipt date back from where the case must stand today, then put
        every step at an office hour on a working day."""
        rng, steps = self.rng, story.steps
        last, anchor = steps[-1].day, steps[story.anchor].day
        if story.target in OPEN:
            period = story.period
            if story.mode == "overdue":
                age = rng.uniform(period + 2, period + min(35, MAX_AGE_DAYS - anchor - period - 2))
            elif story.mode == "soon":
                age = rng.uniform(period - 3, period - 0.6)
            else:
                lo = max(last - anchor + 0.5, 0.5)
                age = rng.uniform(lo, max(lo, period - 6))
            age = max(age, last - anchor + 0.3)
            ago = anchor + age
        else:
            ago = last + rng.uniform(0.3, max(0.5, WINDOW_DAYS - last))
        ago = min(ago, MAX_AGE_DAYS)
        limit = self.now - dt.timedelta(minutes=5)
        today = timezone.localdate(self.now)
        wanted = {"overdue": (-10**6, -1), "soon": (0, 3), "normal": (4, 10**6)}.get(story.mode)
        fits = None
        for _ in range(12):
            self.place_steps(story, self.now - dt.timedelta(days=ago))
            overshoot = (steps[-1].at - limit).total_seconds() / 86400
            if overshoot > 0:
                ago += overshoot + 0.3
                continue
            fits = ago
            if wanted is None:
                return
            # Working days and holidays move deadlines: check the real one and nudge.
            left = (self.expected_due(story) - today).days
            if left < wanted[0]:
                ago -= wanted[0] - left
            elif left > wanted[1]:
                ago += left - wanted[1]
            else:
                return
        if fits is None:
            raise RuntimeError(f"could not fit story {story.index} before now")
        self.place_steps(story, self.now - dt.timedelta(days=fits))

    def expected_due(self, story):
        """The deadline the services will set for where this story stops."""
        if story.anchor == 0:
            return clock.decide_due(story.received_at).date
        start = clock.as_date(story.steps[story.anchor].at)
        if story.target in (S.REGISTERED, S.FORWARDED):
            return clock.decide_due(start).date
        if story.target in (S.REVIEW, S.RE_REVIEW):
            return clock.days_after(start, clock.limit("review_answer_days" if story.target == S.REVIEW else "re_review_answer_days")).date
        due = clock.handle_due(start, story.scenario.kind).date
        return clock.days_after(due, story.extend_days).date if story.extend_days else due

    def place_steps(self, story, received):
        rng = self.rng
        channel = story.petition["channel"]
        if channel == Channel.ONLINE:
            received_at = received
            registered = self.office(received + dt.timedelta(minutes=rng.randint(10, 240)))
        else:
            received_at = self.office(received)
            minutes = rng.randint(5, 40) if channel in (Channel.VISIT, Channel.PHONE) else rng.randint(20, 180)
            registered = self.office(received_at + dt.timedelta(minutes=minutes))
        story.received_at = received_at
        story.steps[0].at = registered
        previous = registered
        for step in story.steps[1:]:
            moment = self.office(received + dt.timedelta(days=step.day))
            # A copy received during a holiday can reach its first working morning
            # before the original it joins was registered that same morning.
            earliest = max(previous, step.after.at) if step.after else previous
            if moment <= earliest:
                moment = self.office(earliest + dt.timedelta(minutes=rng.randint(15, 120)))
            step.at = previous = moment

    def office(self, moment):
        """The same moment if it falls in office hours on a working day, else a time
        early on the next working day."""
        local = timezone.localtime(moment)
        day, minutes = local.date(), local.hour * 60 + local.minute
        opens, closes = 8 * 60 + 30, 17 * 60 + 30
        if minutes >= closes:
            day, minutes = day + dt.timedelta(days=1), None
        elif minutes < opens:
            minutes = None
        working = next_working_day(day, self.table)
        if working != day:
            day, minutes = working, None
        if minutes is None:
            minutes = opens + self.rng.randint(0, 150)
        naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60, self.rng.randint(0, 59)))
        return timezone.make_aware(naive)

    def maybe_repeat(self, story):
        """The same people come back about the same matter: a repeat petition joins the
        case (to the bureau, or over its head to the city)."""
        rng = self.rng
        if story.anonymous or not story.petition["petitioners"]:
            return
        if story.target == S.MERGED:
            # The copy's petition has moved to the case it joined; a repeat would be the
            # only petition left on the merged case (and goes to the original anyway).
            return
        if story.index not in FORCE_REPEAT and rng.random() > 0.12:
            return
        first, last = story.steps[0].at, story.steps[-1].at
        start = first + dt.timedelta(days=3)
        end = min(self.now - dt.timedelta(minutes=10), last + dt.timedelta(days=30))
        if end <= start:
            end = self.now - dt.timedelta(minutes=10)
            if end <= first + dt.timedelta(hours=2):
                return
            start = first + dt.timedelta(hours=1)
        moment = self.office(start + (end - start) * rng.random())
        if moment >= self.now - dt.timedelta(minutes=5):
            moment = end
        channel = rng.choice((Channel.PHONE, Channel.VISIT, Channel.ONLINE, Channel.LETTER))
        people = story.petition["petitioners"][:1]
        title = story.petition["title"]
        content = (f"信访人于{timezone.localtime(story.received_at):%m月%d日}反映“{title}”一事，称至今未得到解决，"
                   f"现再次反映，请求{fill(story.scenario.request, story.words)}。")
        over_head = rng.random() < 0.25
        units = ("city_office", "bureau") if over_head else ("bureau", "city_office")
        step = Step("repeat", 0, units, {"channel": channel, "title": "再次反映：" + title, "content": content,
                                         "kind": story.scenario.kind, "category": story.scenario.category,
                                         "petitioners": people, "headcount": 1})
        step.at = moment
        story.steps.append(step)


def _merge_into(original):
    def params(case, moment):
        return {"into": original.case.number, "reason": "same_letter",
                "note": f"同一信件同时寄往江州市信访局和安宁县信访局（一信多投），并入{original.case.number}一并办理。"}

    return params


def _tighter_due(case, moment):
    """A deadline set on assignment, earlier than the legal one (交办期限)."""
    due = clock.as_date(moment) + dt.timedelta(days=40)
    if case.handle_due and due > case.handle_due:
        due = case.handle_due
    return {"due_date": due}


def _deliver_params(roll, kind=None):
    """送达 of the newest notice of `kind`, or of the latest written answer: most online
    (the petitioner opened it on the public site, or an SMS), the others handed over and
    signed for."""

    def params(case, moment):
        if kind:
            answer = case_documents.notices_of(case).filter(kind=kind).order_by("-issued_at", "-id").first()
        else:
            reply = case.replies.order_by("-replied_at", "-id").first()
            answer = case_documents.documents_of(case).filter(source=f"reply:{reply.pk}").first()
        if roll < 0.6:
            return {"document": answer.pk, "channel": "online", "delivered_on": clock.as_date(moment),
                    "note": "已在网上信访平台公开，短信告知信访人查阅"}
        return {"document": answer.pk, "channel": "in_person", "delivered_on": clock.as_date(moment), "recipient": "信访人本人",
                "note": "信访人到信访接待场所领取并签收"}

    return params


def _reply_params(scenario, words, outcome):
    return dict(reply_texts(scenario, words, outcome), outcome=outcome)


def _report_params(scenario, words, outcome, *, again=False):
    """The result report of an assigned case: what was done, and the written answer proposed."""
    summary = ("已按退回意见补充调查，补充核实了相关材料和现场情况，现重新报送办理结果。" if again
               else "已按交办要求组织调查核实，与信访人当面沟通，提出处理意见，现报送办理结果。")
    return dict(_reply_params(scenario, words, outcome), summary=summary)


def _send_back_params(case, moment):
    """退回补办 with ten more days, never after the legal deadline."""
    due = min(clock.as_date(moment) + dt.timedelta(days=10), legal_handle_due(case))
    return {"reason": "办理结果报告对信访人反映的主要问题核实不够充分，请补充调查后重新报送。", "due_date": due}


def _review_params(scenario, words, outcome):
    request = fill(scenario.request, words)
    opinion = {
        "explain": "经复查，原处理意见认定事实清楚，适用依据正确，程序合法，予以维持。已向信访人说明有关政策。",
        "not_support": "经复查，信访人提出的复查请求缺乏事实和政策依据，维持原处理意见。",
        "support": "经复查，原处理意见对部分事实认定不清，撤销原处理意见，责成原办理单位在三十日内重新调查处理并书面答复信访人。",
    }[outcome]
    return {"outcome": outcome, "request_summary": f"请求撤销原处理意见，{request}",
            "facts": "经调阅原办理材料、听取信访人陈述并实地核查，" + fill(scenario.facts, words) + "。",
            "opinion": opinion, "legal_basis": scenario.basis or "《信访工作条例》第三十五条"}


def _re_review_params(scenario, words):
    return {"outcome": "not_support", "request_summary": f"请求撤销复查意见，{fill(scenario.request, words)}",
            "facts": "经复核，复查意见认定事实清楚，适用依据正确，程序合法。",
            "opinion": "维持复查意见。本复核意见为终结意见，信访人以同一事实和理由再次提出的，不再受理。",
            "legal_basis": "《信访工作条例》第三十六条"}


def _evaluation(satisfaction, rng):
    comment = {"satisfied": "问题已解决，感谢政府。", "basically": "基本解决，希望后续落实到位。", "not_satisfied": "问题没有真正解决。"}[satisfaction]
    return {"satisfaction": satisfaction, "comment": comment, "channel": rng.choice((Channel.PHONE, Channel.ONLINE, Channel.VISIT, Channel.PHONE))}


class Replayer:
    """Runs the planned steps of all stories in time order through the services."""

    def __init__(self, *, units, people):
        self.units = units
        self.people = people
        self.calls = 0

    def run(self, stories):
        timeline = sorted(
            ((step.at, story.index, j) for story in stories for j, step in enumerate(story.steps)),
        )
        done, started = set(), timezone.now()
        for moment, i, j in timeline:
            story = stories[i]
            step = story.steps[j]
            if step.action == "deliver" and moment >= started - dt.timedelta(minutes=1):
                continue  # planned a little after the last step, and so after now: not delivered yet
            if step.after is not None and id(step.after) not in done:
                raise RuntimeError(f"演示数据第{i}件的“{step.action}”排在它所依赖的步骤之前 / a step was planned before the step it needs")
            done.add(id(step))
            try:
                with time_machine.travel(moment, tick=False):
                    self.do(story, step)
            except ServiceError as exc:
                raise RuntimeError(
                    f"演示数据第{i}件（{story.scenario.key}，目标{story.target}）在 {moment:%Y-%m-%d %H:%M} 的“{step.action}”被拒绝：{exc.message} {exc.fields}"
                ) from exc
            self.calls += 1

    def do(self, story, step):
        if step.action == "register":
            data = dict(story.petition, received_at=story.received_at)
            _, story.case = register(actor=self.people[REGISTRAR_OF[story.receiver]], data=PetitionIn(**data))
            return
        if step.action == "repeat":
            self.repeat(story, step)
            return
        params = step.params(story.case, timezone.now()) if callable(step.params) else step.params
        if callable(params.get("due_date")):
            params = dict(params, **params["due_date"](story.case, timezone.now()))
        actor = self.actor(story.case, step.action, step.units)
        story.case = perform(case=story.case, action=step.action, actor=actor, **params)

    def repeat(self, story, step):
        for key in step.units:
            actor = self.people[REGISTRAR_OF[key]]
            if Case.objects.visible_to(actor).filter(pk=story.case.pk).exists():
                # Never before the case's first receipt (a repeat planned within the hour of it).
                received = max(timezone.now() - dt.timedelta(minutes=20), story.case.received_at + dt.timedelta(minutes=1))
                data = PetitionIn(receiving_unit=self.units[key], received_at=received,
                                  case=story.case.number, **step.params)
                register(actor=actor, data=data)
                return

    def actor(self, case, action, unit_keys):
        """The first member of staff, from the units named by the plan, whom the
        services allow to take this action now."""
        preferred = PREFERRED_ROLE.get(action, Role.REGISTRAR)
        tried = []
        for key in dict.fromkeys(unit_keys + tuple(STAFF)):
            staff = sorted((self.people[name] for name in STAFF[key]), key=lambda user: not user.has_role(preferred))
            for user in staff:
                if user.username in tried:
                    continue
                tried.append(user.username)
                if refusal(case, action, user) is None:
                    return user
        raise RuntimeError(f"没有工作人员可以对 {case.number}（{case.status}）执行 {action}")
