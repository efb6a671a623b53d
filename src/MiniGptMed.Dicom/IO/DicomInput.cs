using System.Buffers;

namespace MiniGptMed.Dicom.IO;

/// <summary>
/// A forward reader over a stream with its own buffer and an absolute position, so the parser can
/// peek at headers, skip large values on seekable files, and report byte offsets in errors.
/// </summary>
/// <remarks>
/// The buffer is rented from <see cref="ArrayPool{T}.Shared"/> and returned by <see cref="Dispose"/>: the receive path
/// reads a command set and an audit header per instance, and a fresh 64 KiB array each time was most of the memory a
/// newly started node touched for the first time (page faults while its first instances arrived). Nothing handed out
/// outlives the reader: <see cref="Peek"/> and <see cref="Buffered"/> are spans, values are copied out.
/// </remarks>
internal sealed class DicomInput : IDisposable
{
    private const int DefaultBufferSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOrigin;
    private bool _eof;

    public DicomInput(Stream stream, bool ownsStream, long startPosition = 0, int bufferSize = DefaultBufferSize)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        _bufferOrigin = startPosition;
        StreamLength = stream.CanSeek ? stream.Length : null;
    }

    /// <summary>Absolute position of the next unread byte.</summary>
    public long Position => _bufferOrigin + _start;

    /// <summary>Total length where the stream can tell it (a file), else null (a deflate stream, a socket).</summary>
    public long? StreamLength { get; }

    public bool CanSeek => _stream.CanSeek;

    /// <summary>Bytes left where known; long.MaxValue where the stream cannot tell.</summary>
    public long Remaining => StreamLength is { } length ? length - Position : long.MaxValue;

    public bool IsAtEnd => !TryEnsure(1);

    /// <summary>Makes <paramref name="count"/> bytes available; false at end of stream.</summary>
    public bool TryEnsure(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(count, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _start, bigger, 0, _end - _start);
            _bufferOrigin += _start;
            _end -= _start;
            _start = 0;
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOrigin += _start;
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count && !_eof)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _eof = true;
                break;
            }

            _end += n;
        }

        return _end - _start >= count;
    }

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_start, count);

    /// <summary>What is buffered (at least <paramref name="count"/> bytes after TryEnsure).</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public void Advance(int count) => _start += count;

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes; false when the stream ends first.</summary>
    public bool TryRead(Span<byte> destination)
    {
        var written = 0;
        while (written < destination.Length)
        {
            if (_start == _end && !TryEnsure(Math.Min(destination.Length - written, _buffer.Length)) && _start == _end)
            {
                return false;
            }

            var n = Math.Min(_end - _start, destination.Length - written);
            _buffer.AsSpan(_start, n).CopyTo(destination[written..]);
            _start += n;
            written += n;
        }

        return true;
    }

    /// <summary>Skips <paramref name="count"/> bytes; seeks when the stream allows. False when the stream ends first.</summary>
    public bool TrySkip(long count)
    {
        var buffered = _end - _start;
        if (count <= buffered)
        {
            _start += (int)count;
            return true;
        }

        if (_stream.CanSeek)
        {
            var target = Position + count;
            if (target > StreamLength)
            {
                return false;
            }

            _stream.Position = target;
            _bufferOrigin = target;
            _start = _end = 0;
            return true;
        }

        var remaining = count;
        while (remaining > 0)
        {
            if (_start == _end && !TryEnsure(1))
            {
                return false;
            }

            var n = (int)Math.Min(_end - _start, remaining);
            _start += n;
            remaining -= n;
        }

        return true;
    }

    /// <summary>
    /// A stream over what is left: the buffered bytes then the rest of the underlying stream
    /// (for the deflated data set that follows the File Meta Information).
    /// </summary>
    public Stream RemainderStream()
    {
        var prefix = _buffer.AsMemory(_start, _end - _start).ToArray();
        _start = _end;
        return new PrefixedStream(prefix, _stream);
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _start = _end = 0;
        }
    }

    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _prefixPosition;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefixPosition < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
                prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
                _prefixPosition += n;
                return n;
            }

            return inner.Read(buffer);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
