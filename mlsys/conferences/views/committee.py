"""The committee (PC) page for chairs: invitation status counts, side balance, topic coverage,
the filterable members table with resend buttons, and adding, editing and removing members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import FormView

from mlsys.conferences import committee_queries, forms, invitations, queries, services
from mlsys.conferences.enums import Role
from mlsys.conferences.invitation_forms import MemberFilterForm
from mlsys.conferences.mixins import ChairMixin, ConferenceMixin
from mlsys.conferences.views.base import ServiceFormMixin


class CommitteeView(ConferenceMixin, ServiceFormMixin, FormView):
    # Seeing the committee and changing it are both the chairs' (rules.py); adding needs no
    # second check as long as view_committee implies change_conference.
    permission_required = "conferences.view_committee"
    template_name = "conferences/committee.html"
    form_class = forms.AddMemberForm
    success_url_name = "conferences:committee"

    def get_initial(self):
        return {"role": Role.PC_MEMBER, "status": "invited"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        members = list(queries.committee(self.conference).select_related("invited_by"))
        filter_form = MemberFilterForm(self.request.GET)
        filters = filter_form.filters()
        balance = committee_queries.side_balance(members)
        context.update(
            member_count=len(members),
            members=committee_queries.filter_members(members, **filters),
            filter_form=filter_form,
            filtered=any(filters.values()),
            status_counts=committee_queries.status_counts(members),
            balance=balance,
            balance_warning=committee_queries.balance_warning(balance),
            coverage=committee_queries.topic_coverage(self.conference),
            reminder_days=invitations.REMINDER_INTERVAL.days,
        )
        return context

    def perform(self, form) -> None:
        membership = services.add_member(
            conference=self.conference,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            data=form.data_for_service(),
            actor=self.request.user,
        )
        self.success_message = (
            f"Added {membership.user} as {membership.get_role_display()} "
            f"({membership.get_status_display().lower()})."
        )


class MemberEditView(ChairMixin, ServiceFormMixin, FormView):
    template_name = "conferences/member_form.html"
    form_class = forms.MembershipForm
    success_message = "Membership saved."
    success_url_name = "conferences:committee"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.membership = get_object_or_404(
            queries.committee(self.conference), pk=self.kwargs["pk"]
        )
        kwargs["instance"] = self.membership
        # Read before the form binds: a bound ModelForm writes the posted values onto the
        # instance, and a refused save must not show them as the member's role.
        self.stored_role = self.membership.get_role_display()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership=self.membership, stored_role=self.stored_role)
        return context

    def perform(self, form) -> None:
        services.update_membership(
            membership=self.membership, data=form.data_for_service(), actor=self.request.user
        )


class MemberRemoveView(ChairMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(queries.committee(self.conference), pk=kwargs["pk"])
        try:
            services.remove_member(membership=membership, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Removed {membership.user} as {membership.get_role_display()}."
            )
        return redirect("conferences:committee", conference=self.conference.slug)
