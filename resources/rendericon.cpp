// Renders the SVG icon to the PNG sizes of the hicolor theme at build time, so the PNGs never
// drift from the SVG and no binary copies live in the repository.
//     wsi_rendericon ICON.svg OUTDIR SIZE... -> OUTDIR/SIZExSIZE/apps/NAME.png
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QTextStream err(stderr);
    if (argc < 4) {
        err << "usage: wsi_rendericon ICON.svg OUTDIR SIZE...\n";
        return 2;
    }
    const QString svgPath = QString::fromLocal8Bit(argv[1]);
    const QString outDir = QString::fromLocal8Bit(argv[2]);
    QSvgRenderer renderer(svgPath);
    if (!renderer.isValid()) {
        err << "wsi_rendericon: " << svgPath << " is not an SVG image that Qt can render\n";
        return 1;
    }
    for (int i = 3; i < argc; ++i) {
        bool ok = false;
        const int size = QByteArray(argv[i]).toInt(&ok);
        if (!ok || size < 8 || size > 1024) {
            err << "wsi_rendericon: size \"" << argv[i] << "\" is not a whole number from 8 to 1024\n";
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        const QString dir = u"%1/%2x%2/apps"_s.arg(outDir).arg(size);
        const QString out = dir + u'/' + QFileInfo(svgPath).completeBaseName() + u".png"_s;
        if (!QDir().mkpath(dir) || !image.save(out, "PNG")) {
            err << "wsi_rendericon: cannot write " << out << '\n';
            return 1;
        }
    }
    return 0;
}
