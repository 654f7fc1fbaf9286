"""Employers' express risk self-check (public): screening, a sector questionnaire, the five-indicator profile,
the action plan as PDF, and an optional sending of the result with the BIN and a one-time code."""

from __future__ import annotations

import re

import streamlit as st

from dashboard import state
from dashboard.i18n import t
from dashboard.self_check_view import (
    SelfCheckSelection,
    build,
    intake_message,
    questions_by_topic,
    screening_questions,
    tool_ids,
)
from data import settings
from data.codes import is_valid_bin
from data.inbox import Inbox, InboxError, IntakeError, inbox_dir
from layers.selfcheck_plan import render_action_plan
from osh.selfcheck.content import TOOLS, TOPICS

ANSWER_OPTIONS = ("yes", "no", "na")

lang = state.current_lang()
st.title(t("page.self_check", lang), anchor=False)
st.caption(t("sc.intro", lang))


def answer_label(value: str) -> str:
    return t(f"sc.answer.{value}", lang)


# --- 1. screening ---------------------------------------------------------------------------------------------
st.subheader(t("sc.step.screening", lang), anchor=False)
c1, c2 = st.columns([2, 1])
tool_id = c1.selectbox(t("sc.tool", lang), tool_ids(), format_func=lambda i: TOOLS[i].name(lang), key="sc_tool")
c1.caption(TOOLS[tool_id].intro(lang))
employees = c2.number_input(t("sc.employees", lang), min_value=1, max_value=1_000_000, value=None, step=1, key="sc_employees")
st.caption(t("sc.screening.help", lang))
screening: dict[str, bool | None] = {}
for item in screening_questions():
    choice = st.radio(item.text(lang), ("no", "yes"), index=None, horizontal=True, format_func=answer_label,
                      key=f"sc_screen_{item.id}")
    screening[item.id] = None if choice is None else choice == "yes"

selection = SelfCheckSelection(lang=lang, tool_id=tool_id, employees=None if employees is None else int(employees),
                               screening=screening)
view = build(selection)
if view.stage == "screening":
    st.info(t("sc.screening.pending", lang))
    st.stop()
if view.stage == "full":
    st.warning("**" + t("sc.full.title", lang) + "**\n\n" + t("sc.full.body", lang) + "\n\n"
               + "\n".join(f"- {reason}" for reason in view.reasons))
    st.stop()

# --- 2. the questionnaire -------------------------------------------------------------------------------------
st.subheader(t("sc.step.questions", lang, tool=TOOLS[tool_id].name(lang)), anchor=False)
st.caption(t("sc.questions.help", lang))
shown_key = f"sc_shown_{tool_id}"
with st.form(f"sc_form_{tool_id}"):
    answers: dict[str, str | None] = {}
    for topic, questions in questions_by_topic(tool_id):
        st.markdown(f"##### {TOPICS[topic](lang)}")
        for q in questions:
            answers[q.id] = st.radio(q.text(lang), ANSWER_OPTIONS, index=None, horizontal=True, format_func=answer_label,
                                     key=f"sc_q_{tool_id}_{q.id}")
            st.caption(t("sc.why", lang, why=q.why(lang)))
    if st.form_submit_button(t("sc.show_result", lang), type="primary"):
        st.session_state[shown_key] = True
if not st.session_state.get(shown_key):
    st.stop()

view = build(SelfCheckSelection(lang=lang, tool_id=tool_id, employees=selection.employees, screening=screening,
                                answers=answers))
if view.stage == "questions":
    st.warning(t("sc.missing", lang, n=view.missing))
    st.stop()
if view.assessment is None or view.profile is None or view.plan is None:  # build() fills all three for "result"
    raise AssertionError(f"self-check view in stage {view.stage!r} without a result")

# --- 3. the result -----------------------------------------------------------------------------------------------
st.subheader(t("sc.step.result", lang), anchor=False)
st.markdown(f"**{t('sc.profile', lang)}**")
st.dataframe(view.profile, hide_index=True, width="stretch", key="sc_profile")
st.markdown(f"**{t('sc.plan', lang, n=len(view.plan))}**")
if len(view.plan):
    st.dataframe(view.plan, hide_index=True, width="stretch", key="sc_plan")
else:
    st.success(t("sc.no_measures", lang))

p1, p2 = st.columns(2)
plan_bin = p1.text_input(t("sc.bin_for_plan", lang), max_chars=12, key="sc_plan_bin").strip()
firm_name = p2.text_input(t("sc.firm_name", lang), max_chars=200, key="sc_firm_name")
if plan_bin and not is_valid_bin(plan_bin):
    st.error(t("sc.bin_invalid", lang))
else:
    pdf = render_action_plan(view.assessment, lang=lang, bin=plan_bin or "—", firm_name=firm_name)
    # Says what this run's PDF carries, so the reader (and a test) sees the typed BIN/name have been taken in before
    # pressing the button: a click during the rerun that follows typing would otherwise fetch the previous PDF. The
    # caption's slot stands above the button but is filled after it: Streamlit sends elements in script order, so
    # once the new caption shows, the button already holds this run's PDF (CI clicked the old one under a new caption).
    caption = st.empty()
    st.download_button(t("sc.download", lang), pdf, file_name=f"action_plan_{tool_id}_{lang}.pdf",
                       mime="application/pdf", key="sc_pdf", type="primary")
    shown = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$])", r"\\\1", firm_name.strip()) or "—"
    caption.caption(t("sc.plan_for", lang, bin=plan_bin or "—", name=shown))

# --- 4. sending the result to the register ------------------------------------------------------------------------
st.subheader(t("sc.step.send", lang), anchor=False)
st.caption(t("sc.send.intro", lang))
with st.form("sc_send"):
    s1, s2 = st.columns(2)
    send_bin = s1.text_input(t("sc.bin", lang), value=plan_bin, max_chars=12, key="sc_send_bin")
    code = s2.text_input(t("sc.code", lang), max_chars=20, key="sc_send_code")
    sent = st.form_submit_button(t("sc.send", lang))
if sent:
    try:
        inbox = Inbox(inbox_dir())
        receipt = inbox.submit(bin=send_bin, code=code, tool_id=tool_id, lang=lang, employees=view.assessment.employees,
                               screening={k: bool(v) for k, v in screening.items()}, answers=dict(view.assessment.answers))
    except IntakeError as exc:
        st.error(intake_message(exc, lang))
    except (InboxError, settings.SettingError, OSError):
        st.error(t("sc.err.unavailable", lang))
    else:
        st.success(t("sc.sent", lang, id=receipt.submission_id))
