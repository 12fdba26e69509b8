// A schematic map of Quebec's 17 administrative regions (scenarios/territoires-apprenants.toml):
// approximate positions in [0, 1] x [0, 1] (west to east, north to south), for the territory view
// only. A territory not listed here is placed on a circle.
"use strict";
window.TERRITORY_LAYOUT = {
  "Nord-du-Québec": [0.38, 0.10], "Abitibi-Témiscamingue": [0.12, 0.42],
  "Outaouais": [0.14, 0.72], "Laurentides": [0.30, 0.66], "Lanaudière": [0.40, 0.62],
  "Laval": [0.36, 0.78], "Montréal": [0.40, 0.86], "Montérégie": [0.48, 0.94],
  "Estrie": [0.60, 0.94], "Centre-du-Québec": [0.56, 0.80], "Mauricie": [0.46, 0.48],
  "Capitale-Nationale": [0.62, 0.62], "Chaudière-Appalaches": [0.70, 0.80],
  "Saguenay–Lac-Saint-Jean": [0.58, 0.36], "Côte-Nord": [0.80, 0.30],
  "Bas-Saint-Laurent": [0.80, 0.62], "Gaspésie–Îles-de-la-Madeleine": [0.94, 0.56]
};
