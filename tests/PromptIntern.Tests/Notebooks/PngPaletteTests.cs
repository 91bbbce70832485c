using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using PromptIntern.Notebooks;
using Xunit;

namespace PromptIntern.Tests.Notebooks;

public sealed class PngPaletteTests
{
    const int Width = 40, Height = 30;

    // A picture of few colours, its rows written with all five PNG filters so the decoder's unfiltering is exercised.
    static int Pixel(int x, int y) => (x / 10 + y / 10) % 4 switch { 0 => 0xFFFFFF, 1 => 0x636EFA, 2 => 0xEF553B, _ => 0x2A3F5F } ^ (x == y ? 0x010101 : 0);

    [Fact]
    public void Quantize_KeepsEveryPixel_WhenThePictureHasAtMost256Colours_AndShrinksIt()
    {
        var rgb = RgbPng(channels: 3);
        var palette = PngPalette.Quantize(rgb);

        var (width, height, pixels) = ReadPalettePng(palette);
        Assert.Equal((Width, Height), (width, height));
        for (var y = 0; y < Height; y++)
            for (var x = 0; x < Width; x++)
                Assert.Equal(Pixel(x, y), pixels[y * Width + x]);
        Assert.True(palette.Length < rgb.Length, $"{palette.Length} >= {rgb.Length}");
    }

    [Fact]
    public void Quantize_DropsAlpha_FromAnOpaqueRgbaScreenshot()
    {
        var (_, _, pixels) = ReadPalettePng(PngPalette.Quantize(RgbPng(channels: 4)));
        Assert.Equal(Pixel(13, 7), pixels[7 * Width + 13]);
    }

    [Fact]
    public void Quantize_ReturnsInputUnchanged_WhenItIsNoPng()
    {
        var bytes = Encoding.ASCII.GetBytes("not a png at all, just text of some length");
        Assert.Same(bytes, PngPalette.Quantize(bytes));
    }

    static byte[] RgbPng(int channels)
    {
        var stride = Width * channels;
        var raw = new MemoryStream();
        var previous = new byte[stride];
        for (var y = 0; y < Height; y++)
        {
            var line = new byte[stride];
            for (var x = 0; x < Width; x++)
            {
                var c = Pixel(x, y);
                line[x * channels] = (byte)(c >> 16); line[x * channels + 1] = (byte)(c >> 8); line[x * channels + 2] = (byte)c;
                if (channels == 4) line[x * channels + 3] = 255;
            }
            var filter = (byte)(y % 5);
            raw.WriteByte(filter);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? line[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                var p = a + b - c;
                var paeth = Math.Abs(p - a) <= Math.Abs(p - b) && Math.Abs(p - a) <= Math.Abs(p - c) ? a : Math.Abs(p - b) <= Math.Abs(p - c) ? b : c;
                raw.WriteByte((byte)(line[x] - filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => paeth }));
            }
            previous = line;
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8;
        header[9] = (byte)(channels == 3 ? 2 : 6);
        return Png(("IHDR", header), ("IDAT", Deflate(raw.ToArray())), ("IEND", []));
    }

    static (int Width, int Height, int[] Pixels) ReadPalettePng(byte[] png)
    {
        int width = 0, height = 0;
        byte[] palette = [];
        var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length).ToArray();
            if (type == "IHDR")
            {
                (width, height) = (BinaryPrimitives.ReadInt32BigEndian(data), BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(4)));
                Assert.Equal(3, data[9]); // colour type: palette
            }
            if (type == "PLTE") palette = data;
            if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        var raw = new byte[height * (width + 1)];
        new ZLibStream(idat, CompressionMode.Decompress).ReadExactly(raw);
        var pixels = new int[width * height];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(0, raw[y * (width + 1)]);
            for (var x = 0; x < width; x++)
            {
                var i = raw[y * (width + 1) + 1 + x] * 3;
                pixels[y * width + x] = (palette[i] << 16) | (palette[i + 1] << 8) | palette[i + 2];
            }
        }
        return (width, height, pixels);
    }

    static byte[] Deflate(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    static byte[] Png(params (string Type, byte[] Data)[] chunks)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach (var (type, data) in chunks)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            png.Write(length);
            png.Write(Encoding.ASCII.GetBytes(type));
            png.Write(data);
            png.Write(new byte[4]); // the decoder under test does not check CRCs
        }
        return png.ToArray();
    }
}
