from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indgang.common.api import query_of
from indgang.search.api.serializers import SearchQuerySerializer, SearchResponseSerializer
from indgang.search.constants import SearchAudience
from indgang.search.selectors import search_with_corrections


class SearchView(APIView):
    @extend_schema(
        tags=["search"],
        parameters=[SearchQuerySerializer],
        responses=SearchResponseSerializer,
    )
    def get(self, request: Request) -> Response:
        """One ranked Danish search over articles, tasks and KLE entries.

        Stemming, compound words and one-letter typos are handled. With `audience=public`
        only public articles come back.
        """
        query = SearchQuerySerializer(data=query_of(request))
        query.is_valid(raise_exception=True)
        data = query.validated_data
        audience = SearchAudience.PUBLIC if data.get("audience") == SearchAudience.PUBLIC else None
        result = search_with_corrections(text=data["q"], audience=audience, limit=data["limit"])
        response = SearchResponseSerializer(
            {"query": data["q"], "corrections": result.corrections, "results": result.hits}
        )
        return Response(response.data)
