"""Checks of one prediction or annotation: its results' structure, names, geometry, masks, spans, relations."""

from __future__ import annotations

from viewer.core.diagnostics.model import Reporter
from viewer.core.diagnostics.names import check_names
from viewer.core.diagnostics.shapes import check_shape
from viewer.core.config import parse_data_path
from viewer.core.project import Project, repeat_length
from viewer.core.regions import Region, RegionSet
from viewer.core.shapes import Classification
from viewer.core.tasks import ResultSet, Task

# Controls whose results attach to a region when they share its id (FORMAT.md 4.2).
PER_REGION_TYPES = frozenset({"textarea", "choices", "rating", "number", "datetime", "taxonomy"})


def check_region_set(project: Project, task: Task, result_set: ResultSet, regions: RegionSet,
                     report: Reporter) -> None:
    first = len(report.items)
    for problem in regions.problems:
        report.add(problem.code, problem.message, severity=problem.severity, result_id=problem.result_id,
                   result_index=problem.result_index)
    config = project.config
    for region in regions.regions:
        where = report.at(result_id=None if region.id_generated else region.id,
                          result_index=region.result_indices[0])
        if _copy_not_made(project, task, region, where):
            pass
        elif not config.inferred:
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
                       f"{names} in this {result_set.source}; Label Studio's editor does not show the relation "
                       f"(it drops it)",
                       result_index=relation.result_index)
    # Report in the order of the results in the file, whichever check found the problem.
    report.items[first:] = sorted(report.items[first:], key=lambda d: d.result_index if d.result_index is not None
                                  else -1)


def _copy_not_made(project: Project, task: Task, region: Region, where: Reporter) -> bool:
    """A region on a copy of a <Repeater>'s tag that this task's list is too short to make (reported if so)."""
    tag = project.config.objects.get(region.to_name) if isinstance(region.to_name, str) else None
    if tag is None or tag.repeat is None:
        return False
    on, index, _ = tag.repeat
    length = repeat_length(task.data, parse_data_path(on))
    if index < length:
        return False
    where.add("unknown-to-name", f"to_name \"{tag.name}\" is copy {index} of a <Repeater on=\"{on}\">, but this "
              f"task's list has {length} item(s), so the editor makes no such tag for it; Label Studio's editor "
              f"does not show the result (it drops it on load)")
    return True


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
        fate = ("Label Studio shows it as a region of its own with no label, drawn apart from the region it "
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
                           f"\"{region.to_name}\" (ids {seen[key].id} and {region.id}); Label Studio's editor does "
                           f"not show the earlier one (it keeps only the last)", result_id=region.id, result_index=region.result_indices[0])
            seen[key] = region
