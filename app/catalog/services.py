from app.common.text import fold, vietnamese_sort_key


def refresh_search_fields(product) -> None:
    product.search_name = fold(product.name)
    product.name_sort_key = vietnamese_sort_key(product.name)


def home_page():
    return {}
