#pragma once

#include <QIcon>

// An SVG icon drawn as it is, except when its item is selected: then it takes the palette's
// highlighted-text colour, as the item's text does (the style's own selected icon is the grey
// drawing tinted blue, grey on blue). The colour is read when painted, so it follows a switch
// between light and dark.
QIcon navigationIcon(const QString &svgPath);
