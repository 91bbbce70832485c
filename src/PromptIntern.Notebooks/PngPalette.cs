using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace PromptIntern.Notebooks;

/// <summary>Shrinks a chart screenshot (8-bit RGB/RGBA PNG) to an 8-bit palette PNG, about a third of the size: a
/// chart has a few flat colours plus anti-aliasing shades, so the 256 most frequent colours cover nearly every pixel
/// and the rest map to their nearest palette colour. Keeps committed notebook outputs small.</summary>
public static class PngPalette
{
    static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The same picture as a palette PNG; a PNG it cannot read (interlaced, 16-bit, already paletted) comes back unchanged.</summary>
    public static byte[] Quantize(byte[] png)
    {
        if (Decode(png) is not { } decoded) return png;
        var (width, height, rgb) = decoded;
        var counts = new Dictionary<int, int>();
        for (var i = 0; i < rgb.Length; i++) counts[rgb[i]] = counts.GetValueOrDefault(rgb[i]) + 1;
        var palette = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key).Take(256).Select(c => c.Key).ToArray();
        var index = new Dictionary<int, byte>();
        for (var i = 0; i < palette.Length; i++) index[palette[i]] = (byte)i;

        var rows = new byte[height * (width + 1)];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var color = rgb[y * width + x];
                if (!index.TryGetValue(color, out var entry)) index[color] = entry = Nearest(palette, color);
                rows[y * (width + 1) + 1 + x] = entry; // filter byte 0 (none) before each row: best for palette images
            }
        return Encode(width, height, palette, rows);
    }

    static byte Nearest(int[] palette, int color)
    {
        var best = 0;
        var bestDistance = int.MaxValue;
        for (var i = 0; i < palette.Length; i++)
        {
            int dr = (palette[i] >> 16) - (color >> 16), dg = ((palette[i] >> 8) & 255) - ((color >> 8) & 255), db = (palette[i] & 255) - (color & 255);
            var distance = dr * dr + dg * dg + db * db;
            if (distance < bestDistance) (best, bestDistance) = (i, distance);
        }
        return (byte)best;
    }

    /// <summary>Pixels as 0xRRGGBB (alpha dropped: screenshots are opaque), or null for a PNG this does not read.</summary>
    static (int Width, int Height, int[] Rgb)? Decode(byte[] png)
    {
        if (png.Length < 33 || !png.AsSpan(0, 8).SequenceEqual(Signature)) return null;
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at + 8 <= png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                channels = data[9] switch { 2 => 3, 6 => 4, _ => 0 };
                if (data[8] != 8 || data[12] != 0 || channels == 0) return null;
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        if (width <= 0 || height <= 0) return null;

        idat.Position = 0;
        using var inflate = new ZLibStream(idat, CompressionMode.Decompress);
        var stride = width * channels;
        var raw = new byte[height * (stride + 1)];
        inflate.ReadExactly(raw);
        var rgb = new int[width * height];
        var previous = new byte[stride];
        var line = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            Array.Copy(raw, y * (stride + 1) + 1, line, 0, stride);
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? line[x - channels] : 0, up = previous[x], upLeft = x >= channels ? previous[x - channels] : 0;
                line[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG row {y} has unknown filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++)
                rgb[y * width + x] = (line[x * channels] << 16) | (line[x * channels + 1] << 8) | line[x * channels + 2];
            (previous, line) = (line, previous);
        }
        return (width, height, rgb);
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    static byte[] Encode(int width, int height, int[] palette, byte[] rows)
    {
        using var png = new MemoryStream();
        png.Write(Signature);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 3; // colour type: palette
        Chunk(png, "IHDR", header);
        Chunk(png, "PLTE", palette.SelectMany(c => new[] { (byte)(c >> 16), (byte)(c >> 8), (byte)c }).ToArray());
        using (var compressed = new MemoryStream())
        {
            using (var deflate = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true)) deflate.Write(rows);
            Chunk(png, "IDAT", compressed.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeBytes, data));
        png.Write(word);
    }

    static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    static uint Crc32(byte[] type, byte[] data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in type) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }
}
