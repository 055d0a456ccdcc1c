"""What includes/file_field.html shows beside a file field: the files to choose again
after an error, and the files already attached with their remove and replace."""

from django import template

from proposals import attachments
from proposals.forms import REPLACE_PREFIX

register = template.Library()


@register.filter
def chosen_again(bound_field) -> list[str]:
    return attachments.chosen_again(bound_field)


@register.simple_tag
def attached_rows(form, files, part) -> list[dict]:
    """The files of `part` in `files` still attached (not removed in a revision), each
    with what a form that came back with errors keeps: whether it was ticked to be
    removed, and the name of its replacement, to choose again."""
    bound = form.is_bound
    removing = set(form.data.getlist("remove_files")) if bound else set()
    keep_names = bound and bool(form.errors)
    rejected = getattr(form, "rejected_replacements", set())
    rows = []
    for attachment in files or ():
        if attachment.part != part or attachment.removed_at is not None:
            continue
        key = f"{REPLACE_PREFIX}{attachment.pk}"
        again = form.files.get(key) if keep_names and key not in rejected else None
        rows.append(
            {
                "file": attachment,
                "input": key,
                "removing": str(attachment.pk) in removing,
                "again": again.name if again else "",
            }
        )
    return rows
