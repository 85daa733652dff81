package org.lwktlab.lab.report;

import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * One rendered plot: its title and caption for the page, the PNG, and how much data it shows (the
 * browser test checks that every plot on the page has some).
 *
 * @param id      anchor id on the page
 * @param title   heading
 * @param caption what it shows and how to read it
 * @param png     the image, drawn at twice its display size so it is sharp on high-density screens
 * @param width   display width in CSS pixels
 * @param height  display height in CSS pixels
 * @param series  series drawn
 * @param points  data points drawn, over all series
 * @param legend  where the legend is: {@code south} (below the plot) or {@code east} (right of it)
 */
record Plot(String id, String title, String caption, byte[] png, int width, int height, int series, int points,
            String legend) {
    /** Draws {@code chart} into a PNG at twice its size. */
    static Plot of(String id, String title, String caption, Chart<?, ?> chart, int series, int points) {
        int w = chart.getWidth();
        int h = chart.getHeight();
        BufferedImage img = new BufferedImage(w * 2, h * 2, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            if (legendWidth(chart, g) > w - 2 * LEGEND_ENTRY_EXTRA) { // one row below would run off the image
                chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
                chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.scale(2, 2);
            chart.paint(g, w, h);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            // fast deflate: plots are flat colour, so a low level compresses nearly as well at a fraction of the time
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.7f);
            writer.setOutput(ios);
            writer.write(null, new IIOImage(img, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("encoding plot '" + title + "' as PNG", e);
        } finally {
            writer.dispose();
        }
        String legend = chart.getStyler().getLegendPosition() == Styler.LegendPosition.OutsideE ? "east" : "south";
        return new Plot(id, title, caption, out.toByteArray(), w, h, series, points, legend);
    }

    /** Room a legend entry takes besides its text: the line sample and the paddings around it. */
    private static final int LEGEND_ENTRY_EXTRA = 50;

    /** Width of the legend laid out in one row, in CSS pixels, measured with the legend's font. */
    private static int legendWidth(Chart<?, ?> chart, Graphics2D g) {
        FontMetrics fm = g.getFontMetrics(chart.getStyler().getLegendFont());
        int width = 0;
        for (var s : chart.getSeriesCollection()) {
            if (s.isShowInLegend()) {
                width += fm.stringWidth(s.getName()) + LEGEND_ENTRY_EXTRA;
            }
        }
        return width;
    }
}
