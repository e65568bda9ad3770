"""Pagination of the long staff lists."""

from django.core.paginator import Paginator


class DeferredJoinPaginator(Paginator):
    """Pages of a large queryset with joins: the keys of the page are found first, by the
    ordering's index and without the joins (``OFFSET`` walks that index only), then only those
    rows are read with their joins. One query per page, as with Django's paginator."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)
