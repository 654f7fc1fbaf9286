"""The calibrated demo country: generator, calibration table and the build into a store."""

from __future__ import annotations

from data.demo.build import BuildSummary, DemoBuildError, build_demo
from data.demo.calibration import calibration
from data.demo.country import DemoCountry, DemoError, generate

__all__ = ["BuildSummary", "DemoBuildError", "DemoCountry", "DemoError", "build_demo", "calibration", "generate"]
