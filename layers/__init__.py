"""Pure builders of map layers, legends and charts: frames in, folium / pydeck / Altair objects out."""
