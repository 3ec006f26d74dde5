using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Timeline.Exchange;

/// <summary>
/// An ADaM data set as a SAS transport file, version 5 (the FDA's submission format; SAS technical paper TS-140):
/// 80-byte records, a library header, one member with a 140-byte NAMESTR per variable, then the observations.
/// Numbers (integers, and dates as days since 1960-01-01 with format DATE9.) are 8-byte IBM floating point, missing
/// numbers are SAS's "." missing value, text is blank-padded to its column length (at most 200 bytes), names are at
/// most 8 characters and labels 40.
/// </summary>
public static class AdamXpt
{
    const int Card = 80;
    const string LibraryHeader = "HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!000000000000000000000000000000  ";
    const string MemberHeader = "HEADER RECORD*******MEMBER  HEADER RECORD!!!!!!!000000000000000001600000000140  ";
    const string DescriptorHeader = "HEADER RECORD*******DSCRPTR HEADER RECORD!!!!!!!000000000000000000000000000000  ";
    const string ObservationHeader = "HEADER RECORD*******OBS     HEADER RECORD!!!!!!!000000000000000000000000000000  ";
    const string SasVersion = "9.4";
    const string OperatingSystem = "X64_LIN";
    static readonly int SasEpoch = new DateOnly(1960, 1, 1).DayNumber;

    public static async Task WriteAsync(AdamTable table, ExportSource source, Stream output, CancellationToken ct)
    {
        // The data's own time, so that the same data give the same bytes.
        var stamp = source.CreatedFrom.UtcDateTime.ToString("ddMMMyy:HH:mm:ss", CultureInfo.InvariantCulture).ToUpperInvariant();
        var header = new MemoryStream();
        void Text(string s) => header.Write(Encoding.ASCII.GetBytes(s));
        Text(LibraryHeader);
        Text(Pad("SAS", 8) + Pad("SAS", 8) + Pad("SASLIB", 8) + Pad(SasVersion, 8) + Pad(OperatingSystem, 8) + new string(' ', 24) + stamp);
        Text(stamp + new string(' ', 64));
        Text(MemberHeader);
        Text(DescriptorHeader);
        Text(Pad("SAS", 8) + Pad(table.Name, 8) + Pad("SASDATA", 8) + Pad(SasVersion, 8) + Pad(OperatingSystem, 8) + new string(' ', 24) + stamp);
        Text(stamp + new string(' ', 16) + Pad(table.Label, 40) + new string(' ', 8));
        Text($"HEADER RECORD*******NAMESTR HEADER RECORD!!!!!!!000000{table.Columns.Count.ToString("D4", CultureInfo.InvariantCulture)}00000000000000000000  ");

        var lengths = Enumerable.Range(0, table.Columns.Count).Select(table.LengthOf).ToArray();
        var position = 0;
        for (var i = 0; i < table.Columns.Count; i++)
        {
            header.Write(Namestr(table.Columns[i], i + 1, lengths[i], position));
            position += lengths[i];
        }
        PadCard(header);
        Text(ObservationHeader);
        await output.WriteAsync(header.ToArray(), ct);

        var rowLength = position;
        var buffer = new MemoryStream();
        var row = new byte[rowLength];
        foreach (var values in table.Rows)
        {
            var offset = 0;
            for (var i = 0; i < values.Length; i++)
            {
                var field = row.AsSpan(offset, lengths[i]);
                if (table.Columns[i].Type == AdamType.Text) WriteText(values[i] as string, field);
                else WriteIbm(values[i] switch { int n => n, DateOnly d => d.DayNumber - SasEpoch, _ => double.NaN }, field);
                offset += lengths[i];
            }
            buffer.Write(row);
            if (buffer.Length >= 64 * 1024)
            {
                await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
                buffer.SetLength(0);
            }
        }
        var total = (long)rowLength * table.Rows.Count;
        var padding = (int)((Card - total % Card) % Card);
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        await output.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ct);
    }

    /// <summary>The 140-byte description of one variable (big-endian), as TS-140 lays it out.</summary>
    static byte[] Namestr(AdamColumn column, int number, int length, int position)
    {
        var bytes = new byte[140];
        var span = bytes.AsSpan();
        var date = column.Type == AdamType.Date;
        BinaryPrimitives.WriteInt16BigEndian(span[0..], (short)(column.Type == AdamType.Text ? 2 : 1)); // ntype
        BinaryPrimitives.WriteInt16BigEndian(span[2..], 0);                                              // nhfun
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)length);                                  // nlng
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)number);                                  // nvar0
        Encoding.ASCII.GetBytes(Pad(column.Name, 8)).CopyTo(span[8..]);                                  // nname
        Encoding.ASCII.GetBytes(Pad(column.Label, 40)).CopyTo(span[16..]);                               // nlabel
        Encoding.ASCII.GetBytes(Pad(date ? "DATE" : "", 8)).CopyTo(span[56..]);                          // nform
        BinaryPrimitives.WriteInt16BigEndian(span[64..], (short)(date ? 9 : 0));                         // nfl
        BinaryPrimitives.WriteInt16BigEndian(span[66..], 0);                                             // nfd
        BinaryPrimitives.WriteInt16BigEndian(span[68..], 0);                                             // nfj
        Encoding.ASCII.GetBytes("  ").CopyTo(span[70..]);                                                // nfill
        Encoding.ASCII.GetBytes(Pad(date ? "DATE" : "", 8)).CopyTo(span[72..]);                          // niform
        BinaryPrimitives.WriteInt16BigEndian(span[80..], (short)(date ? 9 : 0));                         // nifl
        BinaryPrimitives.WriteInt16BigEndian(span[82..], 0);                                             // nifd
        BinaryPrimitives.WriteInt32BigEndian(span[84..], position);                                      // npos
        return bytes;                                                                                    // rest: zeros
    }

    static void WriteText(string? value, Span<byte> field)
    {
        field.Fill((byte)' ');
        if (value is null) return;
        var bytes = Encoding.UTF8.GetBytes(value);
        bytes.AsSpan(0, Math.Min(bytes.Length, field.Length)).CopyTo(field);
    }

    /// <summary>
    /// An IEEE double as an IBM System/360 double: sign, a base-16 exponent biased by 64, a 56-bit fraction in
    /// [1/16, 1). Exact for every integer and date written here. NaN is SAS's missing value "." (0x2E then zeros).
    /// </summary>
    public static void WriteIbm(double value, Span<byte> destination)
    {
        destination[..8].Clear();
        if (double.IsNaN(value)) { destination[0] = 0x2E; return; }
        var bits = BitConverter.DoubleToUInt64Bits(value);
        var exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0) return; // zero (and the subnormals, far below IBM's range)
        var negative = (bits >> 63) != 0;
        var fraction = ((bits & 0xFFFFFFFFFFFFFUL) | (1UL << 52)) << 3; // 56 bits: value = fraction * 2^(q - 56)
        var q = exponent - 1023 + 1;                                      // value = (fraction / 2^56) * 2^q
        var r = ((q % 4) + 4) % 4;
        if (r != 0) { fraction >>= 4 - r; q += 4 - r; }                   // a power of 16; the low bits shifted out are zeros
        var ibmExponent = q / 4 + 64;
        if (ibmExponent is < 0 or > 127) throw new OverflowException($"{value.ToString(CultureInfo.InvariantCulture)} is outside the IBM double's range.");
        destination[0] = (byte)((negative ? 0x80 : 0) | ibmExponent);
        for (var i = 1; i < 8; i++) destination[i] = (byte)(fraction >> (8 * (7 - i)));
    }

    static string Pad(string s, int width) => (s.Length > width ? s[..width] : s).PadRight(width);

    static void PadCard(MemoryStream stream)
    {
        var padding = (int)((Card - stream.Length % Card) % Card);
        for (var i = 0; i < padding; i++) stream.WriteByte((byte)' ');
    }
}
