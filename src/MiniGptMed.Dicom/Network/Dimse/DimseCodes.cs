namespace MiniGptMed.Dicom.Network.Dimse;

/// <summary>PS3.7 E.1: Command Field (0000,0100) values used here; responses set bit 15.</summary>
public enum DimseCommandField : ushort
{
    CStoreRequest = 0x0001,
    CStoreResponse = 0x8001,
    CEchoRequest = 0x0030,
    CEchoResponse = 0x8030,
}

/// <summary>PS3.7 9.1.1.1.2: Priority (0000,0700).</summary>
public enum DimsePriority : ushort
{
    Medium = 0x0000,
    High = 0x0001,
    Low = 0x0002,
}

/// <summary>PS3.7 Annex C and PS3.4 B.2.3: the statuses this node sends or interprets.</summary>
public static class DimseStatus
{
    public const ushort Success = 0x0000;

    /// <summary>PS3.4 B.2.3: coercion of data elements.</summary>
    public const ushort CoercionOfDataElements = 0xB000;

    /// <summary>PS3.4 B.2.3: elements discarded.</summary>
    public const ushort ElementsDiscarded = 0xB006;

    /// <summary>PS3.4 B.2.3: data set does not match SOP class (warning).</summary>
    public const ushort DataSetDoesNotMatchSopClassWarning = 0xB007;

    /// <summary>PS3.4 B.2.3: refused, out of resources (A7xx).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>PS3.4 B.2.3: error, data set does not match SOP class (A9xx).</summary>
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;

    /// <summary>PS3.4 B.2.3: error, cannot understand (Cxxx).</summary>
    public const ushort CannotUnderstand = 0xC000;

    /// <summary>PS3.7 C.5.7: refused, SOP class not supported.</summary>
    public const ushort SopClassNotSupported = 0x0122;

    /// <summary>PS3.7 C.5.9: unrecognized operation.</summary>
    public const ushort UnrecognizedOperation = 0x0211;

    /// <summary>PS3.7 C.4: 0000 success, 0001 and Bxxx warnings, everything else a failure (FF00/FF01 pending).</summary>
    public static bool IsSuccessOrWarning(ushort status) => status is Success or 0x0001 || (status & 0xF000) == 0xB000;

    public static string Describe(ushort status) => status switch
    {
        Success => "Success",
        CoercionOfDataElements => "Warning: coercion of data elements",
        ElementsDiscarded => "Warning: elements discarded",
        DataSetDoesNotMatchSopClassWarning => "Warning: data set does not match SOP class",
        _ when (status & 0xFF00) == 0xA700 => "Refused: out of resources",
        _ when (status & 0xFF00) == 0xA900 => "Error: data set does not match SOP class",
        _ when (status & 0xF000) == 0xC000 => "Error: cannot understand",
        SopClassNotSupported => "Refused: SOP class not supported",
        UnrecognizedOperation => "Refused: unrecognized operation",
        _ => $"Status {status:X4}",
    };
}
