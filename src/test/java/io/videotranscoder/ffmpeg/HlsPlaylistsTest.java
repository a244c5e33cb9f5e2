package io.videotranscoder.ffmpeg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The files a playlist names, as FFmpeg's HLS muxer writes a ladder's playlists. */
class HlsPlaylistsTest {

    @TempDir
    Path dir;

    @Test
    void a_media_playlist_names_its_init_and_its_segments() throws Exception {
        Path playlist = Files.writeString(dir.resolve("stream_0.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:4
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="init_0.mp4"
                #EXTINF:4.000000,
                stream_0_000.m4s
                #EXTINF:2.000000,
                stream_0_001.m4s
                #EXT-X-ENDLIST
                """);

        assertEquals(List.of("init_0.mp4", "stream_0_000.m4s", "stream_0_001.m4s"), HlsPlaylists.names(playlist));
    }

    @Test
    void a_master_playlist_names_its_renditions_and_its_sound() throws Exception {
        Path master = Files.writeString(dir.resolve("master.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="a",NAME="audio_0",DEFAULT=YES,URI="stream_2.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=1210000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",AUDIO="a"
                stream_0.m3u8

                #EXT-X-STREAM-INF:BANDWIDTH=680000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",AUDIO="a"
                stream_1.m3u8
                """);

        assertEquals(List.of("stream_2.m3u8", "stream_0.m3u8", "stream_1.m3u8"), HlsPlaylists.names(master));
    }
}
