"""factory_boy factories for bulk data in tests and benchmarks."""

from __future__ import annotations

import factory
from django.utils import timezone

from kindred.accounts.models import Profile, User
from kindred.organisations.models import CrisisResource, Membership, Organisation, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")
    profile = factory.RelatedFactory("kindred.testing.factories.ProfileFactory", factory_related_name="user")

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory, profile=None)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    region = "North West"
    safeguarding_policy = "If we are worried about your safety we will talk to you first."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.MEMBER


class CrisisResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrisisResource

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Local crisis line {n}")
    phone = "0800 000 0000"
    hours = "24 hours"
