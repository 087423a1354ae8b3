"""The site staff's "New conference" page: the form → a preview (shifted deadlines and what will
be copied) → create. Nothing is written before the last step; "Change" goes back to the form
with every input kept."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from mlsys.conferences import creation
from mlsys.conferences.creation_forms import NewConferenceForm
from mlsys.conferences.setup_copiers import PHASE_SWITCHES, SETTINGS, shifted_deadlines
from mlsys.conferences.setup_copy import preview_setup


class SiteStaffMixin:
    """Site-level pages for the staff: an anonymous visitor is sent to log in, anyone else gets
    404 (the page does not exist for them)."""

    permission_required = "conferences.add_conference"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.viewer.has_perm(self.permission_required):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class CreateConferenceView(SiteStaffMixin, View):
    template_name = "conferences/create.html"
    preview_template = "conferences/create_preview.html"

    def get(self, request, *args, **kwargs):
        return self._form_page(NewConferenceForm())

    def post(self, request, *args, **kwargs):
        form = NewConferenceForm(request.POST)
        action = request.POST.get("action", "preview")
        if action == "edit":
            return self._form_page(form)
        if not form.is_valid():
            return self._form_page(form, status=400)
        new = form.new_conference()
        try:
            if action == "create":
                created = creation.create_conference(new=new, actor=request.user)
            else:
                creation.check(new)
                return self._preview(form, new)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self._form_page(form, status=400)
        messages.success(request, self._created_message(created, new))
        if request.viewer.has_perm("conferences.view_conference", created.conference):
            return redirect(created.conference.get_absolute_url())
        return redirect("conference_create")

    def _form_page(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)

    def _preview(self, form, new: creation.NewConference):
        source = new.copy_from
        target = creation.unsaved(new)
        context = {
            "form": form,
            "new": new,
            "target": target,
            "deadlines": shifted_deadlines(source, new.shift_days, target.tz) if source else [],
            "copied": preview_setup(source) if source else {},
            "phase_switches": PHASE_SWITCHES,
            "settings_copied": [name.replace("_", " ") for name in SETTINGS],
        }
        return render(self.request, self.preview_template, context)

    @staticmethod
    def _created_message(created: creation.Created, new: creation.NewConference) -> str:
        conference, chair = created.conference, created.chair
        parts = [f"Created {conference.name} ({conference.slug})."]
        if new.copy_from is not None:
            summary = ", ".join(
                f"{count} {label}" for label, count in created.copied.items() if count
            )
            parts.append(f"Copied from {new.copy_from.name}: {summary}.")
        if chair.is_active:
            parts.append("You are its program chair.")
        else:
            parts.append(
                f"{chair.user.email} is invited as its program chair; the email is on its way."
            )
        return " ".join(parts)
