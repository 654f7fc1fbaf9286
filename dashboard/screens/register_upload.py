"""Register module (official): the ministry or an accredited assessor uploads workplace risk-assessment results;
the same validation as `enbek load`, the rejects report shown and downloadable, the upload audited."""

from __future__ import annotations

import streamlit as st

from dashboard import state, uploads
from dashboard.i18n import t
from dashboard.login import get_audit, require_identity
from data.audit import AuditError
from data.loader import InputFileError, SchemaError
from data.schemas import schema
from data.store import StoreError

TABLE = "workplace_assessments"

lang = state.current_lang()
identity = require_identity(lang=lang, roles=("ministry", "assessor"))
st.title(t("page.register_upload", lang), anchor=False)
st.caption(t("reg.intro", lang))
st.caption(t("reg.columns", lang, columns=", ".join(f"`{c.name}`" for c in schema(TABLE).columns)))

file = st.file_uploader(t("reg.file", lang), type=["csv", "xlsx", "parquet"], key="reg_file")
if file is not None and st.button(t("reg.load", lang), type="primary", key="reg_load"):
    data = file.getvalue()
    if len(data) > uploads.MAX_UPLOAD_BYTES:
        st.error(t("reg.too_large", lang, mb=uploads.MAX_UPLOAD_BYTES // (1024 * 1024)))
        st.stop()
    try:
        result = uploads.save_and_load(identity=identity, audit=get_audit(), table=TABLE, name=file.name, data=data)
    except (InputFileError, SchemaError, uploads.UploadError) as exc:
        st.error(t("reg.file_error", lang, error=str(exc)))
        st.stop()
    except StoreError as exc:
        st.error(t("reg.store_error", lang, error=str(exc)))
        st.stop()
    except AuditError as exc:
        st.error(t("auth.audit_failed", lang, error=str(exc)))
        st.stop()
    st.session_state["reg_last"] = (file.name, result.report)

last = st.session_state.get("reg_last")
if last is not None:
    name, report = last
    message = t("reg.result", lang, file=name, read=report.read, loaded=report.loaded, rejected=report.rejected)
    (st.warning if report.rejected else st.success)(message)
    if report.rejected:
        st.markdown(f"**{t('reg.rejects', lang)}**")
        shown = report.rejects.rename(columns={c: t(f"reg.col.{c}", lang) for c in ("row", "column", "value", "reason")})
        st.dataframe(shown, hide_index=True, width="stretch", key="reg_rejects")
        st.download_button(t("reg.download_rejects", lang), report.rejects.to_csv(index=False).encode("utf-8-sig"),
                           file_name=f"{TABLE}__{name}.rejects.csv", mime="text/csv", key="reg_rejects_csv")
