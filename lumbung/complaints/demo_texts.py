"""What the demo's reports, answers and replies say (in Indonesian, as citizens and
officers of the demo regions would write them)."""

PROBLEMS = {
    "jalan-rusak": ("Jalan berlubang cukup dalam, sudah dua motor jatuh", "Aspal rusak parah"),
    "lampu-jalan": ("Lampu PJU mati sejak seminggu, jalan gelap", "Tiga tiang lampu padam"),
    "sampah": ("Sampah menumpuk belum diangkut sejak Senin", "TPS penuh, sampah meluber"),
    "drainase": ("Saluran tersumbat, air meluap saat hujan", "Banjir setinggi betis"),
    "pohon-tumbang": ("Pohon besar miring ke arah jalan", "Dahan patah menimpa kabel"),
    "fasilitas-umum": ("Bangku dan ayunan taman rusak", "Trotoar amblas dan berbahaya"),
    "ketertiban": ("Parkir liar memakan badan jalan", "PKL menutup trotoar"),
    "perizinan": ("Permohonan izin belum ada kabar", "Antrean layanan perizinan lama"),
    "bansos": ("Keluarga lansia belum menerima bantuan", "Data penerima bansos tidak sesuai"),
    "pungli": ("Diminta uang tambahan saat mengurus surat", "Petugas loket tidak ramah"),
    "aspirasi": ("Mohon dibangun taman bermain anak", "Usul jalur sepeda ke sekolah"),
}
PLACES = ("Jl. Merdeka", "Jl. Pahlawan", "Jl. Sudirman", "Gg. Melati", "Jl. Pasar Baru")
LANDMARKS = ("depan SDN 3", "dekat masjid", "samping pasar", "ujung gang", "dekat halte")
NAMES = ("Asep", "Yuli", "Dedi", "Nurul", "Hendra", "Wati", "Eko", "Sari", "Iwan", "Lina")
TEMPLATES = (
    ("Laporan diterima", "Terima kasih, laporan Anda sudah kami terima dan sedang ditinjau."),
    ("Petugas dijadwalkan", "Petugas kami dijadwalkan memeriksa lokasi dalam minggu ini."),
    ("Sudah ditangani", "Pekerjaan di lokasi sudah selesai. Mohon konfirmasi bila sudah beres."),
    ("Di luar kewenangan", "Masalah ini di luar kewenangan kami; sudah kami teruskan."),
)
NOTES = ("Sudah koordinasi dengan kecamatan.", "Menunggu anggaran perbaikan.", "Cek ulang lokasi.")
REJECTIONS = ("Laporan tidak memuat lokasi yang jelas.", "Bukan kewenangan pemerintah daerah.")
DISPUTES = ("Belum diperbaiki, masih sama seperti kemarin.", "Hanya ditambal sementara.")
COMMENTS = ("Cepat, terima kasih!", "Lumayan, tapi agak lama.", "", "", "Mantap.")
