/*
 * Web client font plugin: replaces Evennia's, which linked seven Google Fonts
 * stylesheets into every page. Every face offered here is declared in
 * webclient/css/fonts.css (served by the game) or is a system font, so
 * choosing a font never reaches the internet.
 */
let font_plugin = (function () {

    const font_families = [
        'B612 Mono',
        'Consolas',
        'DejaVu Sans Mono',
        'Fira Mono',
        'Inconsolata',
        'Monospace',
        'Roboto Mono',
        'Source Code Pro',
        'Ubuntu Mono',
    ];

    var setStartingFont = function () {
        var fontfamily = localStorage.getItem("evenniaFontFamily");
        if (fontfamily) {
            $(document.body).css("font-family", fontfamily);
        }

        var fontsize = localStorage.getItem("evenniaFontSize");
        if (fontsize) {
            $(document.body).css("font-size", fontsize + "em");
        }
    }

    var getActiveFontFamily = function () {
        return localStorage.getItem("evenniaFontFamily") || "DejaVu Sans Mono";
    }

    var getActiveFontSize = function () {
        return localStorage.getItem("evenniaFontSize") || "0.9";
    }

    var onFontFamily = function (evnt) {
        var family = $(evnt.target).val();
        $(document.body).css("font-family", family);
        localStorage.setItem("evenniaFontFamily", family);
    }

    var onFontSize = function (evnt) {
        var size = $(evnt.target).val();
        $(document.body).css("font-size", size + "em");
        localStorage.setItem("evenniaFontSize", size);
    }

    // add the font and size selectors to the options pane
    var onOptionsUI = function (parentdiv) {
        var fontselect = $("<select>");
        var sizeselect = $("<select>");

        for (const font of font_families) {
            fontselect.append($("<option>").val(font).text(font));
        }
        for (var x = 4; x < 21; x++) {
            sizeselect.append($("<option>").val(x / 10.0).text(x));
        }

        fontselect.val(getActiveFontFamily());
        sizeselect.val(getActiveFontSize());
        fontselect.on("change", onFontFamily);
        sizeselect.on("change", onFontSize);

        parentdiv.append("<div style='font-weight: bold'>Font Selection:</div>");
        parentdiv.append(fontselect);
        parentdiv.append(sizeselect);
    }

    var init = function () {
        setStartingFont();
    }

    return {
        init: init,
        onOptionsUI: onOptionsUI,
    }
})();
window.plugin_handler.add("font", font_plugin);
