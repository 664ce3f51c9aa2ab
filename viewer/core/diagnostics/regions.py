"""Checks of one prediction or annotation: its results' structure, names, geometry, masks, spans, relations."""

from __future__ import annotations

from viewer.core.diagnostics.model import Reporter
from viewer.core.diagnostics.names import check_names
from viewer.core.diagnostics.shapes import check_shape
from viewer.core.project import Project
from viewer.core.regions import Region, RegionSet
from viewer.core.shapes import Classification
from viewer.core.tasks import ResultSet, Task

# Controls whose results attach to a region when they share its id (FORMAT.md 4.2).
PER_REGION_TYPES = frozenset({"textarea", "choices", "rating", "number", "datetime", "taxonomy"})


def check_region_set(project: Project, task: Task, result_set: ResultSet, regions: RegionSet,
                     report: Reporter) -> None:
    first = len(report.items)
    for problem in regions.problems:
        report.add(problem.code, problem.message, result_id=problem.result_id, result_index=problem.result_index)
    config = project.config
    for region in regions.regions:
        where = report.at(result_id=None if region.id_generated else region.id,
                          result_index=region.result_indices[0])
        if not config.inferred:
            check_names(config, region, report)
        _check_orphan(project, region, where)
        check_shape(project, task, region, where)
    if not config.inferred:
        _check_duplicate_classifications(regions, report)
    ids = {region.id for region in regions.regions}
    for relation in regions.relations:
        missing = [end for end in (relation.from_id, relation.to_id) if end not in ids]
        if missing:
            names = " and ".join(f"\"{m}\"" for m in missing)
            report.add("relation-dangling", f"relation {relation.from_id} -> {relation.to_id}: no region with id "
                       f"{names} in this {result_set.source}; Label Studio drops the relation",
                       result_index=relation.result_index)
    # Report in the order of the results in the file, whichever check found the problem.
    report.items[first:] = sorted(report.items[first:], key=lambda d: d.result_index if d.result_index is not None
                                  else -1)


def _check_orphan(project: Project, region: Region, where: Reporter) -> None:
    """A per-region answer (OCR text, attribute choice ...) whose id matches no region of the same source."""
    types = set(region.types)
    if not types or not types <= PER_REGION_TYPES:
        return
    config = project.config
    per_region = [config.controls[name] for name in region.from_names
                  if name in config.controls and config.controls[name].per_region]
    # One kind's rule, not a dispatch: only a classification is an answer about the whole object.
    geometry = not isinstance(region.shape, Classification)
    if not per_region and not geometry:
        return
    names = ", ".join(f"\"{name}\"" for name in region.from_names)
    if geometry:
        fate = ("Label Studio makes it a region of its own with no label, drawn apart from the region it "
                "describes")
    else:
        fate = "Label Studio shows it as an answer about the whole object, attached to no region"
    where.add("orphan-per-region-result", f"the {'/'.join(sorted(types))} result of {names} has id "
              f"\"{region.id}\", but no labelled region in this source has that id (ids must match, e.g. the OCR "
              f"rectangle and its transcription); {fate}")


def _check_duplicate_classifications(regions: RegionSet, report: Reporter) -> None:
    seen: dict[tuple, Region] = {}
    for region in regions.regions:
        if not isinstance(region.shape, Classification):  # one kind's rule: only whole-object answers repeat
            continue
        for name in region.from_names:
            key = (name, region.to_name, region.item_index)
            if key in seen:
                report.add("duplicate-classification", f"two results of \"{name}\" for the whole of "
                           f"\"{region.to_name}\" (ids {seen[key].id} and {region.id}); Label Studio keeps only "
                           f"the last one", result_id=region.id, result_index=region.result_indices[0])
            seen[key] = region
